package org.ntx.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses, before anything else looks at a request, paths that could be read two ways: the security rules match the
 * path as sent, while Tomcat routes on the path after decoding and normalising it, so {@code /%63ds-services/...}
 * reached a CDS service without passing the rules for {@code /cds-services}. Every route of this server is plain
 * ASCII without escapes, so a path is accepted only in its canonical form, where both readings are the same: no
 * percent-escape, no empty, {@code .} or {@code ..} segment, no {@code ;} path parameter, no backslash or control
 * character. Anything else is 400, and a method outside the ones this server serves is 405.
 *
 * <p>Runs first (ahead of CORS and Spring Security), so no later filter, matcher or servlet ever sees such a path.
 */
@Configuration(proxyBeanMethods = false)
class CanonicalRequests {

    static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> canonicalRequestFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                if (!METHODS.contains(request.getMethod())) {
                    response.setHeader("Allow", String.join(", ", METHODS.stream().sorted().toList()));
                    ErrorBodies.write(request, response, 405, "not-supported", "Method Not Allowed",
                            "The HTTP method " + printable(request.getMethod()) + " is not served here");
                    return;
                }
                Optional<String> problem = problem(request);
                if (problem.isPresent()) {
                    ErrorBodies.write(request, response, 400, "invalid", "Bad Request",
                            "The request path is not in canonical form (" + problem.get() + "); send it without"
                                    + " percent-escapes, empty, '.' or '..' segments, ';' parameters or backslashes");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("canonicalRequestFilter");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** What is not canonical about the request's path, or empty when it is canonical. */
    static Optional<String> problem(HttpServletRequest request) {
        String raw = request.getRequestURI();
        if (raw == null) {
            return Optional.of("no path");
        }
        Optional<String> written = problem(raw);
        if (written.isPresent()) {
            return written;
        }
        // Whatever the container decoded or normalised must not differ from what was sent.
        String routed = request.getContextPath() + request.getServletPath()
                + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return routed.equals(raw) ? Optional.empty() : Optional.of("it is routed as a different path");
    }

    /** The same check on a path as written (no scheme, host or query). */
    static Optional<String> problem(String path) {
        if (!path.startsWith("/")) {
            return Optional.of("it does not start with '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                return Optional.of("percent-escape");
            }
            if (c == ';') {
                return Optional.of("';' path parameter");
            }
            if (c == '\\') {
                return Optional.of("backslash");
            }
            if (c <= ' ' || c >= 0x7f) {
                return Optional.of("control, space or non-ASCII character");
            }
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'" + segment + "' segment");
            }
            // A trailing slash leaves one empty last segment ("/fhir/"); an empty one elsewhere is "//".
            if (segment.isEmpty() && i < segments.length - 1) {
                return Optional.of("empty segment");
            }
        }
        return Optional.empty();
    }

    private static String printable(String method) {
        String shown = method.length() > 20 ? method.substring(0, 20) : method;
        return shown.replaceAll("[^A-Za-z0-9_-]", "?");
    }
}
