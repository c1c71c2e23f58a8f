package org.ntx.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 401 and 403 on {@code /cds-services} in the JSON shape the CDS controller uses for every error,
 * {@code {"status":401,"error":"Unauthorized","message":"..."}}, with the RFC 6750 {@code WWW-Authenticate} header.
 */
final class CdsAuthErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final Logger log = LoggerFactory.getLogger(CdsAuthErrors.class);

    private final ObjectMapper json;
    private final UnauthenticatedRequests unauthenticated;
    private final BearerTokenAuthenticationEntryPoint bearerChallenge = new BearerTokenAuthenticationEntryPoint();

    CdsAuthErrors(ObjectMapper json, UnauthenticatedRequests unauthenticated) {
        this.json = json;
        this.unauthenticated = unauthenticated;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearerChallenge.commence(request, response, failure);
        unauthenticated.refused(request, failure instanceof OAuth2AuthenticationException);
        String message = failure instanceof OAuth2AuthenticationException oauth
                && oauth.getError().getDescription() != null
                ? oauth.getError().getDescription()
                : "CDS Hooks calls must carry a JWT signed by a trusted CDS client (Authorization: Bearer)";
        // The path only (canonical, see server.CanonicalRequests); the message is ours and never repeats the token.
        log.warn("Refused CDS call {} {}: {}", request.getMethod(), request.getRequestURI(), message);
        write(response, HttpStatus.valueOf(response.getStatus()), message);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        write(response, HttpStatus.FORBIDDEN, "This CDS client may not make this call");
    }

    private void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body);
    }
}
