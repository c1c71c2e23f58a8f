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
import java.util.Locale;

/**
 * The FHIR endpoint speaks JSON and XML. HAPI would also offer RDF (Turtle), but the RDF libraries are not shipped (a
 * lean jar, README "A lean server"), so a request for Turtle is refused up front: 406 when asked to answer in it, 415
 * when the body is in it, with an OperationOutcome in JSON. Without this, such a request would fail inside HAPI (500).
 */
@Configuration
class RdfRefusal {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> rdfRefusalFilter() {
        OncePerRequestFilter filter = new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String path = request.getRequestURI();
                return !(path.equals(FhirEndpointConfig.FHIR_PATH) || path.startsWith(FhirEndpointConfig.FHIR_PATH + "/"));
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                if (isRdf(request.getContentType())) {
                    ErrorBodies.write(request, response, 415, "not-supported", "Unsupported Media Type",
                            "RDF (Turtle) is not accepted here: send FHIR JSON or XML");
                    return;
                }
                String format = request.getParameter("_format");
                String accept = request.getHeader("Accept");
                if (isRdf(format) || (format == null && isRdf(accept) && !offersJsonOrXml(accept))) {
                    ErrorBodies.write(request, response, 406, "not-supported", "Not Acceptable",
                            "RDF (Turtle) is not served here: ask for FHIR JSON or XML");
                    return;
                }
                chain.doFilter(request, response);
            }
        };
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    static boolean isRdf(String mediaTypeOrFormat) {
        if (mediaTypeOrFormat == null) {
            return false;
        }
        String value = mediaTypeOrFormat.toLowerCase(Locale.ROOT);
        return value.contains("turtle") || value.equals("ttl") || value.contains("rdf");
    }

    private static boolean offersJsonOrXml(String accept) {
        String value = accept.toLowerCase(Locale.ROOT);
        return value.contains("json") || value.contains("xml") || value.contains("*/*");
    }
}
