package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;

/**
 * 401 and 403 on {@code /fhir} as FHIR clients expect them: an OperationOutcome body, plus the
 * {@code WWW-Authenticate: Bearer ...} header of RFC 6750. Never the token, never a stack trace.
 */
final class FhirAuthErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final Logger log = LoggerFactory.getLogger(FhirAuthErrors.class);

    private final FhirContext fhirContext;
    private final UnauthenticatedRequests unauthenticated;
    private final BearerTokenAuthenticationEntryPoint bearerChallenge = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    FhirAuthErrors(FhirContext fhirContext, UnauthenticatedRequests unauthenticated) {
        this.fhirContext = fhirContext;
        this.unauthenticated = unauthenticated;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearerChallenge.commence(request, response, failure);
        unauthenticated.refused(request, failure instanceof OAuth2AuthenticationException);
        String message = failure instanceof OAuth2AuthenticationException oauth
                && oauth.getError().getDescription() != null
                ? "The access token was rejected: " + oauth.getError().getDescription()
                : "Authentication required: send an OAuth 2.0 Bearer access token";
        // The path only: a query string may carry search values such as names.
        log.info("Refused unauthenticated {} {}: {}", request.getMethod(), request.getRequestURI(),
                failure instanceof OAuth2AuthenticationException ? "invalid token" : "no token");
        write(response, OperationOutcome.IssueType.LOGIN, message);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearerDenied.handle(request, response, denied);
        write(response, OperationOutcome.IssueType.FORBIDDEN, "The access token does not permit this request");
    }

    private void write(HttpServletResponse response, OperationOutcome.IssueType type, String message)
            throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
