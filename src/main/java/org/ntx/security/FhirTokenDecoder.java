package org.ntx.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.StringUtils;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates FHIR API access tokens: signed with one of the issuer's keys by an asymmetric algorithm, issued by the
 * configured issuer, for our audience when one is configured, and current: {@code exp} present and not past,
 * {@code nbf} and {@code iat} not in the future, and the token not valid for longer than the configured maximum (all
 * within the clock skew). A token without {@code exp}, or one that expires years ahead, would be a password that
 * never changes.
 */
final class FhirTokenDecoder {

    /** RFC 9068 access tokens are typed {@code at+jwt}; many servers still say {@code JWT} or nothing. */
    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    /**
     * How long an access token may be valid and how far the clocks may differ.
     *
     * @param maxLifetime the longest an access token may be valid: {@code exp} at most this far after now (and after
     *                    {@code iat}, when given)
     * @param clockSkew   tolerance between the issuer's clock and ours on {@code exp}, {@code nbf} and {@code iat}
     */
    record Times(Duration maxLifetime, Duration clockSkew, Clock clock) {}

    private FhirTokenDecoder() {}

    static JwtDecoder create(String issuer, String audience, JWKSource<SecurityContext> keys, Times times) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JwkSets.ASYMMETRIC, keys));
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN_TYPE, null));
        // Claims are checked by the validators below, with messages a client can read.
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });

        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtIssuerValidator(issuer));
        JwtTimestampValidator timestamps = new JwtTimestampValidator(times.clockSkew());
        timestamps.setClock(times.clock());
        validators.add(timestamps);
        validators.add(new Lifetime(times));
        if (StringUtils.hasText(audience)) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(audience)));
        }
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    /** {@code exp} required and bounded; {@code iat} not in the future. ({@code exp} past and {@code nbf}: Spring's.) */
    static final class Lifetime implements OAuth2TokenValidator<Jwt> {

        private final Times times;

        Lifetime(Times times) {
            this.times = times;
        }

        @Override
        public OAuth2TokenValidatorResult validate(Jwt token) {
            Instant now = times.clock().instant();
            Instant expires = token.getExpiresAt();
            if (expires == null) {
                return refused("The token has no exp (expiry)");
            }
            Instant latest = now.plus(times.maxLifetime()).plus(times.clockSkew());
            if (expires.isAfter(latest)) {
                return refused("The token is valid for longer than this server accepts (" + times.maxLifetime() + ")");
            }
            Instant issued = token.getIssuedAt();
            if (issued != null) {
                if (issued.isAfter(now.plus(times.clockSkew()))) {
                    return refused("The token was issued in the future (iat)");
                }
                if (Duration.between(issued, expires).compareTo(times.maxLifetime().plus(times.clockSkew())) > 0) {
                    return refused("The token is valid for longer than this server accepts (" + times.maxLifetime()
                            + ")");
                }
            }
            return OAuth2TokenValidatorResult.success();
        }

        private static OAuth2TokenValidatorResult refused(String reason) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, reason, null));
        }
    }
}
