package org.ntx.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.security.Principal;

/**
 * Who is calling the FHIR API: the access token Spring Security validated, as an {@link AccessGrant}. Read once per
 * request and kept in HAPI's request user data.
 */
final class FhirCallers {

    private static final String GRANT_KEY = FhirCallers.class.getName() + ".grant";

    private FhirCallers() {}

    static AccessGrant grantOf(RequestDetails request) {
        Object cached = request.getUserData().get(GRANT_KEY);
        if (cached instanceof AccessGrant grant) {
            return grant;
        }
        AccessGrant grant = AccessGrant.ANONYMOUS;
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            // Spring Security's request wrapper exposes the authentication as the user principal.
            Principal principal = servlet.getServletRequest().getUserPrincipal();
            if (principal instanceof JwtAuthenticationToken token) {
                grant = AccessGrant.fromClaims(token.getToken().getClaims());
            }
        }
        request.getUserData().put(GRANT_KEY, grant);
        return grant;
    }
}
