package org.ntx.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.ntx.security.CdsClientTokenVerifier.Refusal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CDS Hooks client JWT checks, one refusal reason per test. The "sandbox" client signs with ES384 and names an
 * internet jku that is not on the allowlist; its keys are configured out of band.
 */
class CdsClientTokenVerifierTest {

    static final String SERVICE_URL = "https://cds.example.org/cds-services/naltrexone-order-check";
    static final String SANDBOX = "https://sandbox.cds-hooks.org";
    static final String EHR = "https://ehr.example.org";
    static final String EHR_JKU = "https://ehr.example.org/jwks.json";
    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    final ECKey sandboxKey = TestTokens.newEcKey("sandbox-1");
    final RSAKey ehrKey = TestTokens.newRsaKey("ehr-1");
    final List<String> fetchedJku = new ArrayList<>();
    final CdsClientTokenVerifier verifier = verifier(new JtiReplayCache(1000));

    CdsClientTokenVerifier verifier(JtiReplayCache replays) {
        Map<String, JWKSource<SecurityContext>> trusted = new HashMap<>();
        trusted.put(SANDBOX, new ImmutableJWKSet<>(new JWKSet(sandboxKey.toPublicJWK())));
        trusted.put(EHR, null); // keys only from its allowlisted jku
        return new CdsClientTokenVerifier(trusted, Set.of(EHR_JKU), url -> {
            fetchedJku.add(url);
            return new ImmutableJWKSet<>(new JWKSet(ehrKey.toPublicJWK()));
        }, replays, Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void acceptsTheSandboxsEs384TokenWithItsKeysConfiguredOutOfBand() throws Exception {
        String token = TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, claims(SANDBOX).build(),
                URI.create("https://sandbox.cds-hooks.org/.well-known/jwks.json"));
        CdsClient client = verifier.verify(token, Set.of(SERVICE_URL));
        assertThat(client.issuer()).isEqualTo(SANDBOX);
        assertThat(fetchedJku).as("a jku off the allowlist is never fetched").isEmpty();
    }

    @Test
    void followsAnAllowlistedJkuForAnRs384Token() throws Exception {
        String token = TestTokens.sign(ehrKey, JWSAlgorithm.RS384, claims(EHR).subject("ehr-client").build(),
                URI.create(EHR_JKU));
        CdsClient client = verifier.verify(token, Set.of(SERVICE_URL));
        assertThat(client.subject()).isEqualTo("ehr-client");
        assertThat(fetchedJku).containsExactly(EHR_JKU);
    }

    @Test
    void refusesAnUnknownIssuer() {
        String token = TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, claims("https://evil.example.com").build(),
                null);
        assertRefused(token, Refusal.UNKNOWN_ISSUER);
    }

    @Test
    void refusesHmacSignatures() {
        assertRefused(TestTokens.hmac(claims(SANDBOX).build()), Refusal.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void refusesUnsignedTokens() {
        assertRefused(TestTokens.unsigned(claims(SANDBOX).build()), Refusal.UNSIGNED);
    }

    @Test
    void refusesGarbage() {
        assertRefused("not-a-jwt", Refusal.MALFORMED);
    }

    @Test
    void refusesASignatureByAnotherKeyWithTheSameKid() {
        ECKey impostor = TestTokens.newEcKey("sandbox-1");
        assertRefused(TestTokens.sign(impostor, JWSAlgorithm.ES384, claims(SANDBOX).build(), null),
                Refusal.BAD_SIGNATURE);
    }

    @Test
    void refusesAKidTheClientDoesNotHave() {
        ECKey other = TestTokens.newEcKey("unknown-kid");
        assertRefused(TestTokens.sign(other, JWSAlgorithm.ES384, claims(SANDBOX).build(), null),
                Refusal.NO_MATCHING_KEY);
    }

    @Test
    void doesNotFollowAJkuOffTheAllowlist() {
        // The EHR's keys come only from its allowlisted jku; a token pointing elsewhere finds no key.
        String token = TestTokens.sign(ehrKey, JWSAlgorithm.RS384, claims(EHR).build(),
                URI.create("https://attacker.example.com/jwks.json"));
        assertRefused(token, Refusal.NO_MATCHING_KEY);
        assertThat(fetchedJku).isEmpty();
    }

    @Test
    void refusesATokenForAnotherService() {
        String token = TestTokens.sign(sandboxKey, JWSAlgorithm.ES384,
                claims(SANDBOX).audience("https://cds.example.org/cds-services/other-service").build(), null);
        assertRefused(token, Refusal.WRONG_AUDIENCE);
    }

    @Test
    void refusesAnExpiredToken() {
        JWTClaimsSet expired = claims(SANDBOX).issueTime(Date.from(NOW.minusSeconds(600)))
                .expirationTime(Date.from(NOW.minusSeconds(61))).build();
        assertRefused(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, expired, null), Refusal.EXPIRED);
    }

    @Test
    void acceptsATokenJustExpiredWithinTheClockSkew() throws Exception {
        JWTClaimsSet justExpired = claims(SANDBOX).issueTime(Date.from(NOW.minusSeconds(300)))
                .expirationTime(Date.from(NOW.minusSeconds(30))).build();
        verifier.verify(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, justExpired, null), Set.of(SERVICE_URL));
    }

    @Test
    void refusesATokenValidForMoreThanFiveMinutes() {
        JWTClaimsSet longLived = claims(SANDBOX).expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build();
        assertRefused(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, longLived, null), Refusal.LIFETIME_TOO_LONG);
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        JWTClaimsSet future = claims(SANDBOX).issueTime(Date.from(NOW.plusSeconds(120))).build();
        assertRefused(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, future, null), Refusal.ISSUED_IN_FUTURE);
    }

    @Test
    void refusesATokenNotValidYet() throws Exception {
        JWTClaimsSet later = claims(SANDBOX).notBeforeTime(Date.from(NOW.plusSeconds(120))).build();
        assertRefused(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, later, null), Refusal.NOT_YET_VALID);
        JWTClaimsSet withinSkew = claims(SANDBOX).notBeforeTime(Date.from(NOW.plusSeconds(30))).build();
        assertThat(verifier.verify(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, withinSkew, null), Set.of(SERVICE_URL)))
                .isNotNull();
    }

    @Test
    void refusesATokenWithoutJti() {
        JWTClaimsSet noJti = claims(SANDBOX).jwtID(null).build();
        assertRefused(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, noJti, null), Refusal.MISSING_CLAIM);
    }

    @Test
    void refusesAReplayedToken() throws Exception {
        String token = TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, claims(SANDBOX).build(), null);
        verifier.verify(token, Set.of(SERVICE_URL));
        assertRefused(token, Refusal.REPLAYED);
    }

    @Test
    void failsClosedWhenTheReplayCacheIsFull() throws Exception {
        CdsClientTokenVerifier small = verifier(new JtiReplayCache(1));
        small.verify(TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, claims(SANDBOX).build(), null),
                Set.of(SERVICE_URL));
        String second = TestTokens.sign(sandboxKey, JWSAlgorithm.ES384, claims(SANDBOX).build(), null);
        assertThatThrownBy(() -> small.verify(second, Set.of(SERVICE_URL)))
                .isInstanceOfSatisfying(CdsClientTokenVerifier.Rejected.class,
                        rejected -> assertThat(rejected.refusal()).isEqualTo(Refusal.REPLAY_CACHE_FULL));
    }

    @Test
    void neverRepeatsTheTokenInItsMessage() {
        String token = TestTokens.hmac(claims(SANDBOX).build());
        assertThatThrownBy(() -> verifier.verify(token, Set.of(SERVICE_URL)))
                .message().doesNotContain(token).doesNotContain(token.substring(0, 20));
    }

    private void assertRefused(String token, Refusal refusal) {
        assertThatThrownBy(() -> verifier.verify(token, Set.of(SERVICE_URL)))
                .isInstanceOfSatisfying(CdsClientTokenVerifier.Rejected.class,
                        rejected -> assertThat(rejected.refusal()).isEqualTo(refusal));
    }

    private static JWTClaimsSet.Builder claims(String issuer) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(SERVICE_URL)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }
}
