package org.ntx.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The CDS Hooks clients (EHRs) allowed to call {@code /cds-services} when {@code ntx.security.enabled=true}
 * ({@code ntx.security.cds-*}). CDS Hooks 2.0, "Trusting CDS Clients": every call carries a JWT signed by the client.
 *
 * @param cdsClients         trusted clients: the {@code iss} they sign with and, optionally, their JWK Set
 *                           configured out of band (URL, file path or {@code classpath:})
 * @param cdsJkuAllowlist    JWK Set URLs that may be fetched when a token names them in its {@code jku} header;
 *                           a {@code jku} not on this list is never followed
 * @param cdsClockSkew       tolerance for {@code exp} and {@code iat} between the client's clock and ours
 * @param cdsReplayCacheSize how many {@code jti} values are remembered (per node) until their token expires
 */
@Validated
@ConfigurationProperties("ntx.security")
public record CdsClientProperties(
        @DefaultValue List<@Valid TrustedClient> cdsClients,
        @DefaultValue List<String> cdsJkuAllowlist,
        @DefaultValue("60s") Duration cdsClockSkew,
        @DefaultValue("100000") @Min(1) int cdsReplayCacheSize) {

    /**
     * @param issuer      the client's {@code iss}, e.g. {@code https://sandbox.cds-hooks.org}
     * @param jwks        the client's public keys, configured out of band; empty when only an allowlisted
     *                    {@code jku} supplies them
     * @param fhirServers the FHIR base URLs this client may name as {@code fhirServer} (and so have us read with the
     *                    token it lends); empty: none, the client must prefetch or the own store is read
     */
    public record TrustedClient(@NotBlank String issuer, String jwks, @DefaultValue List<String> fhirServers) {}
}
