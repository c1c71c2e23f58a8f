package org.ntx.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsUtils;

/**
 * Request matchers on the path as the client sent it (without the context path). HAPI's servlet sits at
 * {@code /fhir/*} beside Spring's dispatcher, where servlet-relative pattern matchers would see only part of the path.
 *
 * <p>Safe only because {@code server.CanonicalRequests} runs first and refuses every path that Tomcat would route
 * differently from how it was written (percent-escapes, {@code //}, {@code .} segments, {@code ;} parameters): what
 * these matchers see is then exactly the path that is routed.
 */
final class RequestPaths {

    private RequestPaths() {}

    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** {@code prefix} itself and everything below it. */
    static RequestMatcher under(String prefix) {
        return request -> {
            String path = path(request);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        };
    }

    static RequestMatcher exactly(String path) {
        return request -> path(request).equals(path);
    }

    static RequestMatcher exactly(String method, String path) {
        return request -> method.equals(request.getMethod()) && path(request).equals(path);
    }

    /** A CORS preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}), no other OPTIONS. */
    static RequestMatcher corsPreflight() {
        return CorsUtils::isPreFlightRequest;
    }
}
