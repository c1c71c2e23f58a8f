package org.ntx.server;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.util.List;

/**
 * One CORS policy for both the FHIR servlet and the CDS Hooks controller, applied as the first servlet filter so
 * preflight requests are answered before authentication or HAPI see them.
 */
@Configuration
class CorsConfig {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Prefer", "If-Match",
                "If-None-Exist", "If-None-Match", "X-Request-Id"));
        // WWW-Authenticate: a browser app must be able to read why a 401 or 403 happened.
        cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate"));
        cors.setMaxAge(properties.maxAgeSeconds());

        // Matched on the full request URI: HAPI's servlet sits at /fhir/*, where Spring's path helpers would only see
        // the part after the servlet path.
        CorsConfigurationSource source = request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            boolean covered = path.startsWith("/fhir/") || path.equals("/fhir")
                    || path.startsWith("/cds-services");
            return covered ? cors : null;
        };

        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        // Right after CanonicalRequests, which refuses paths that could be read two ways before anyone reads them.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }
}
