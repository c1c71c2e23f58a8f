package org.ntx.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the FHIR endpoint ({@code ntx.server.*}).
 *
 * @param publicBaseUrl the FHIR base URL clients see, when the server sits behind a proxy; empty means the address
 *                      and port the connection arrived on (never the client's Host header)
 */
@ConfigurationProperties("ntx.server")
public record ServerProperties(String publicBaseUrl) {}
