package org.ntx.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import org.ntx.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.StringUtils;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CDS Hooks client authentication on {@code /cds-services}: every service and feedback call carries a JWT from a
 * trusted client ({@link CdsClientTokenVerifier}); discovery ({@code GET /cds-services}) stays open, as CDS clients
 * read it before any trust is set up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ntx.security.enabled", havingValue = "true")
class CdsSecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(CdsSecurityConfig.class);

    static final String CDS_PATH = "/cds-services";

    private static final RequestMatcher OPEN = new OrRequestMatcher(
            RequestPaths.exactly("GET", CDS_PATH),
            RequestPaths.corsPreflight());

    @Bean
    CdsClientTokenVerifier cdsClientTokenVerifier(CdsClientProperties clients, ResourceLoader resources, Clock clock) {
        Map<String, JWKSource<SecurityContext>> trusted = new HashMap<>();
        for (CdsClientProperties.TrustedClient client : clients.cdsClients()) {
            trusted.put(client.issuer(),
                    StringUtils.hasText(client.jwks()) ? JwkSets.open(client.jwks(), resources) : null);
        }
        if (trusted.isEmpty()) {
            log.warn("No trusted CDS clients are configured (ntx.security.cds-clients): every CDS Hooks call will be"
                    + " refused with 401");
        }
        Set<String> allowlist = new HashSet<>(clients.cdsJkuAllowlist());
        // Only allowlisted URLs ever get here, so this map stays as small as the allowlist.
        Map<String, JWKSource<SecurityContext>> remote = new ConcurrentHashMap<>();
        return new CdsClientTokenVerifier(trusted, allowlist,
                url -> remote.computeIfAbsent(url, key -> JwkSets.remote(JwkSets.toUrl(key))),
                new JtiReplayCache(clients.cdsReplayCacheSize()), clients.cdsClockSkew(), clock);
    }

    @Bean
    @Order(2)
    SecurityFilterChain cdsServices(HttpSecurity http, CdsClientTokenVerifier verifier, ServerProperties server,
                                    ObjectMapper json, UnauthenticatedRequests unauthenticated) throws Exception {
        CdsAuthErrors errors = new CdsAuthErrors(json, unauthenticated);
        if (!StringUtils.hasText(server.publicBaseUrl())) {
            log.warn("ntx.server.public-base-url is not set: the audience of CDS client JWTs is checked against the"
                    + " Host header of each request. Set it to the public FHIR base URL in production.");
        }
        CdsServiceUrls urls = new CdsServiceUrls(server.publicBaseUrl());
        http
                .securityMatcher(RequestPaths.under(CDS_PATH))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(OPEN).permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .bearerTokenResolver(FhirSecurityConfig.ignoringTokensOn(OPEN))
                        .authenticationManagerResolver(perRequest(verifier, urls))
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors));
        return FhirSecurityConfig.stateless(http).build();
    }

    /** The audience depends on the URL called, so each request gets an authentication manager of its own. */
    private static AuthenticationManagerResolver<HttpServletRequest> perRequest(
            CdsClientTokenVerifier verifier, CdsServiceUrls urls) {
        return request -> {
            Set<String> audiences = urls.acceptedAudiences(request);
            AuthenticationManager manager = authentication -> {
                String token = ((BearerTokenAuthenticationToken) authentication).getToken();
                try {
                    return new CdsClientAuthentication(verifier.verify(token, audiences));
                } catch (CdsClientTokenVerifier.Rejected rejected) {
                    throw new InvalidBearerTokenException(rejected.getMessage());
                }
            };
            return manager;
        };
    }
}
