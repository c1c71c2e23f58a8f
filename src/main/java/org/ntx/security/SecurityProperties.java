package org.ntx.security;

import jakarta.validation.constraints.AssertTrue;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Authentication of the FHIR API ({@code ntx.security.*}): the switch, and the OAuth 2.0 authorization server whose
 * access tokens (SMART on FHIR) the server accepts.
 *
 * @param enabled               require authentication on {@code /fhir} and {@code /cds-services}; off by default
 *                              for the first run, which then must stay on a loopback address
 * @param allowInsecure         start without authentication on a non-loopback address anyway (development
 *                              containers only); the server warns loudly
 * @param issuer                the {@code iss} every access token must carry
 * @param jwks                  the issuer's signing keys: a JWK Set URL ({@code https://...}), a file path, or a
 *                              {@code classpath:} resource
 * @param audience              if set, the {@code aud} every access token must contain (usually the FHIR base URL)
 * @param authorizationEndpoint advertised in {@code /fhir/.well-known/smart-configuration}, if set
 * @param tokenEndpoint         advertised in {@code /fhir/.well-known/smart-configuration}, if set
 * @param tokenMaxLifetime      the longest an access token may be valid: a token whose {@code exp} lies further
 *                              ahead (from now, or from its {@code iat}) is refused, as is one without {@code exp}
 * @param tokenClockSkew        tolerance between the issuer's clock and ours on {@code exp}, {@code nbf} and
 *                              {@code iat}
 */
@Validated
@ConfigurationProperties("ntx.security")
public record SecurityProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("false") boolean allowInsecure,
        String issuer,
        String jwks,
        String audience,
        String authorizationEndpoint,
        String tokenEndpoint,
        @DefaultValue("1h") Duration tokenMaxLifetime,
        @DefaultValue("60s") Duration tokenClockSkew) {

    @AssertTrue(message = "ntx.security.enabled=true needs ntx.security.issuer and ntx.security.jwks")
    public boolean isIssuerConfiguredWhenEnabled() {
        return !enabled || (StringUtils.hasText(issuer) && StringUtils.hasText(jwks));
    }
}
