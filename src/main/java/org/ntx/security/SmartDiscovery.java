package org.ntx.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SMART on FHIR discovery: {@code /fhir/.well-known/smart-configuration} (SMART App Launch 2.0) and the security
 * section of the CapabilityStatement (SMART 1.0). Both are open, so a client can learn where to get a token. The
 * fields that describe the authorization server appear only when configured; the scopes listed are the ones this
 * server enforces.
 */
final class SmartDiscovery {

    static final String PATH = "/fhir/.well-known/smart-configuration";

    static final List<String> SCOPES_SUPPORTED = List.of(
            "openid", "fhirUser", "launch", "launch/patient", "offline_access",
            "patient/*.rs", "patient/*.cruds", "user/*.rs", "user/*.cruds", "system/*.rs", "system/*.cruds",
            "patient/*.read", "patient/*.write", "user/*.read", "user/*.write", "system/*.read", "system/*.write",
            AccessGrant.RESEARCH_SCOPE);

    static final List<String> CAPABILITIES = List.of(
            "permission-v1", "permission-v2", "permission-patient", "permission-user");

    private static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private SmartDiscovery() {}

    static Map<String, Object> configuration(SecurityProperties security) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", security.issuer());
        if (JwkSets.isUrl(security.jwks())) {
            document.put("jwks_uri", security.jwks());
        }
        if (StringUtils.hasText(security.authorizationEndpoint())) {
            document.put("authorization_endpoint", security.authorizationEndpoint());
        }
        if (StringUtils.hasText(security.tokenEndpoint())) {
            document.put("token_endpoint", security.tokenEndpoint());
        }
        document.put("scopes_supported", SCOPES_SUPPORTED);
        document.put("capabilities", CAPABILITIES);
        return document;
    }

    /** Serves the configuration document at {@link #PATH}, next to HAPI's servlet. */
    static final class ConfigurationServlet extends HttpServlet {

        private final byte[] body;

        ConfigurationServlet(SecurityProperties security, ObjectMapper json) throws IOException {
            this.body = json.writeValueAsBytes(configuration(security));
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /** Adds {@code rest.security} (service SMART-on-FHIR, and the oauth-uris extension) to the CapabilityStatement. */
    @Interceptor
    static final class CapabilityStatementSecurity {

        private final SecurityProperties security;

        CapabilityStatementSecurity(SecurityProperties security) {
            this.security = security;
        }

        @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
        public void addSecurity(IBaseConformance conformance) {
            if (!(conformance instanceof CapabilityStatement statement) || statement.getRest().isEmpty()) {
                return;
            }
            CapabilityStatement.CapabilityStatementRestSecurityComponent section =
                    new CapabilityStatement.CapabilityStatementRestSecurityComponent();
            section.addService(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR",
                    "SMART-on-FHIR")));
            section.setDescription("OAuth 2.0 Bearer access tokens with SMART on FHIR scopes; see "
                    + ".well-known/smart-configuration");
            Extension uris = new Extension(OAUTH_URIS);
            if (StringUtils.hasText(security.authorizationEndpoint())) {
                uris.addExtension("authorize", new UriType(security.authorizationEndpoint()));
            }
            if (StringUtils.hasText(security.tokenEndpoint())) {
                uris.addExtension("token", new UriType(security.tokenEndpoint()));
            }
            if (uris.hasExtension()) {
                section.addExtension(uris);
            }
            statement.getRestFirstRep().setSecurity(section);
        }
    }
}
