package org.ntx.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs test JWTs with Nimbus. Keys are either generated per test or the committed TEST-ONLY keys under
 * {@code src/test/resources/security/}, whose public halves the secured integration context trusts.
 */
final class TestTokens {

    /** The issuer the secured integration context trusts for FHIR access tokens. */
    static final String FHIR_ISSUER = "https://idp.ntx.test";
    /** The CDS client the secured integration context trusts, as the public sandbox calls itself. */
    static final String SANDBOX_ISSUER = "https://sandbox.cds-hooks.org";
    /** Where the sandbox says its keys are; never fetched (not on the allowlist). */
    static final URI SANDBOX_JKU = URI.create("https://sandbox.cds-hooks.org/.well-known/jwks.json");

    private TestTokens() {}

    static RSAKey testIssuerKey() {
        return (RSAKey) load("security/TEST-ONLY-issuer-private-jwk.json");
    }

    static ECKey testSandboxKey() {
        return (ECKey) load("security/TEST-ONLY-cds-sandbox-private-jwk.json");
    }

    static ECKey newEcKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey newRsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A FHIR access token from the trusted test issuer, valid for five minutes. */
    static String fhirAccessToken(String scope, String patient) {
        return fhirAccessToken("test-user", scope, patient);
    }

    static String fhirAccessToken(String subject, String scope, String patient) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(FHIR_ISSUER)
                .subject(subject)
                .claim("client_id", "test-app")
                .claim("scope", scope)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
        if (patient != null) {
            claims.claim("patient", patient);
        }
        return sign(testIssuerKey(), JWSAlgorithm.RS256, claims.build(), null);
    }

    /** A CDS client JWT the way the sandbox makes one: ES384, an internet jku, no sub. */
    static String sandboxCdsToken(String audience) {
        return sign(testSandboxKey(), JWSAlgorithm.ES384, cdsClaims(SANDBOX_ISSUER, audience).build(), SANDBOX_JKU);
    }

    static JWTClaimsSet.Builder cdsClaims(String issuer, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
    }

    static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims, URI jku) {
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            JWSHeader.Builder header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID());
            if (jku != null) {
                header.jwkURL(jku);
            }
            SignedJWT jwt = new SignedJWT(header.build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmac(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner("a shared secret that is at least 256 bits long!!".getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    private static JWK load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test key " + resource);
            }
            return JWK.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
