package org.ntx.server;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * Browser origins allowed to call the FHIR API and the CDS Hooks services ({@code ntx.cors.*}).
 *
 * @param allowedOrigins origin patterns, e.g. {@code https://sandbox.cds-hooks.org} (the public CDS Hooks sandbox,
 *                       which calls CDS services from the browser) or {@code https://*.example.org}
 * @param maxAgeSeconds  how long a browser may cache a preflight answer
 */
@ConfigurationProperties("ntx.cors")
public record CorsProperties(
        @DefaultValue("https://sandbox.cds-hooks.org") List<String> allowedOrigins,
        @DefaultValue("1800") long maxAgeSeconds) {}
