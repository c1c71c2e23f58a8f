package org.ntx.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * FHIR access tokens: right issuer, right keys, asymmetric algorithms, right audience, and current: exp required,
 * bounded lifetime, nbf and iat honoured with the clock skew.
 */
class FhirTokenDecoderTest {

    static final String ISSUER = "https://idp.example.org";
    static final String AUDIENCE = "https://ntx.example.org/fhir";

    final RSAKey rsa = TestTokens.newRsaKey("rsa-1");
    final ECKey ec = TestTokens.newEcKey("ec-1");
    final JwtDecoder decoder = FhirTokenDecoder.create(ISSUER, AUDIENCE,
            new ImmutableJWKSet<>(new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK()))),
            new FhirTokenDecoder.Times(Duration.ofHours(1), Duration.ofSeconds(60), Clock.systemUTC()));

    @Test
    void acceptsRs256AndEs384TokensFromTheIssuer() {
        Jwt rs = decoder.decode(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().build(), null));
        assertThat(rs.getSubject()).isEqualTo("u1");
        Jwt es = decoder.decode(TestTokens.sign(ec, JWSAlgorithm.ES384, claims().build(), null));
        assertThat(es.getClaimAsString("scope")).isEqualTo("user/*.rs");
    }

    @Test
    void refusesAnotherIssuer() {
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().issuer("https://other").build(), null));
    }

    @Test
    void refusesAnotherAudience() {
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().audience("https://other/fhir").build(),
                null));
    }

    @Test
    void refusesAnExpiredToken() {
        JWTClaimsSet expired = claims().expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))
                .build();
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256, expired, null));
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().expirationTime(null).build(), null));
    }

    @Test
    void refusesATokenValidForLongerThanTheMaximumLifetime() {
        Instant now = Instant.now();
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256,
                claims().expirationTime(Date.from(now.plus(Duration.ofDays(3650)))).build(), null));
        // exp within the hour from now, but issued (iat) two hours before it: valid for two hours in all.
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().issueTime(Date.from(now.minus(
                Duration.ofMinutes(70)))).expirationTime(Date.from(now.plus(Duration.ofMinutes(50)))).build(), null));
        // Exactly the maximum, and the maximum plus a skew's worth, are accepted.
        assertThat(decoder.decode(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims().issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(60)).plusSeconds(30))).build(), null))
                .getSubject()).isEqualTo("u1");
    }

    @Test
    void refusesATokenIssuedOrValidOnlyInTheFutureBeyondTheSkew() {
        Instant now = Instant.now();
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256,
                claims().issueTime(Date.from(now.plus(Duration.ofMinutes(10)))).build(), null));
        assertRefused(TestTokens.sign(rsa, JWSAlgorithm.RS256,
                claims().notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build(), null));
        // Within the 60 s skew both are tolerated.
        assertThat(decoder.decode(TestTokens.sign(rsa, JWSAlgorithm.RS256, claims()
                .issueTime(Date.from(now.plusSeconds(30))).notBeforeTime(Date.from(now.plusSeconds(30))).build(),
                null)).getSubject()).isEqualTo("u1");
    }

    @Test
    void refusesAKeyTheIssuerDoesNotPublish() {
        assertRefused(TestTokens.sign(TestTokens.newRsaKey("rsa-1"), JWSAlgorithm.RS256, claims().build(), null));
    }

    @Test
    void refusesHmacAndUnsignedTokens() {
        assertRefused(TestTokens.hmac(claims().build()));
        assertRefused(TestTokens.unsigned(claims().build()));
    }

    private void assertRefused(String token) {
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("u1").audience(AUDIENCE).claim("scope", "user/*.rs")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
    }
}
