package org.ntx.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded forged credentials against every protected route, reads and writes alike: tokens signed by other keys, with
 * {@code alg: none}, HMAC keyed with the issuer's public key, an embedded or remote key in the header, unknown or
 * path-like {@code kid}s, wrong issuer or audience spellings, no or far-away {@code exp}, future {@code nbf}/{@code iat},
 * malformed encodings and oversized tokens, repeated or odd {@code Authorization} headers, tokens in the query. Every
 * one is refused with 401 and a body that names no class, and none of the writes changes the store.
 */
@SecuredIntegrationTest
class SecurityForgedTokensIT {

    private static final long SEED = 20261203L;
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|ca\\.uhn|com\\.nimbusds|org\\.springframework)\\.[a-z][\\w.$]*|\\b[A-Z]\\w*(Exception|Error)\\b");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void refusesEveryForgedCredentialOnEveryProtectedRoute() {
        TestHttp http = new TestHttp(port);
        SplittableRandom random = new SplittableRandom(SEED);
        RSAKey attacker = TestTokens.newRsaKey("ntx-test-issuer-1");
        List<Supplier<String>> forgeries = forgeries(random, attacker);
        List<String[]> routes = List.of(
                new String[] {"GET", "/fhir/Patient"}, new String[] {"GET", "/fhir/Patient/1/$everything"},
                new String[] {"POST", "/fhir/Patient"}, new String[] {"POST", "/fhir"},
                new String[] {"GET", "/api/patients/1/timeline"},
                new String[] {"POST", "/api/cds-services/naltrexone-patient-view"},
                new String[] {"POST", "/cds-services/naltrexone-patient-view"},
                new String[] {"POST", "/cds-services/naltrexone-order-sign/feedback"});

        long before = stored();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int round = 0; round < 600; round++) {
            String[] route = routes.get(random.nextInt(routes.size()));
            String token = forgeries.get(round % forgeries.size()).get();
            HttpRequest.Builder request = http.request(route[1], null).timeout(Duration.ofSeconds(30))
                    .header("Accept", "*/*");
            switch (random.nextInt(6)) {
                case 0 -> request.header("Authorization", "bearer " + token);
                case 1 -> request.header("Authorization", "Bearer " + token).header("Authorization", "Bearer x");
                case 2 -> request.header("Authorization", "Bearer  " + token + " ");
                case 3 -> request.uri(URI.create(http.url(route[1]) + "?access_token=" + token.replace("=", "")));
                default -> request.header("Authorization", "Bearer " + token);
            }
            String body = route[1].startsWith("/fhir") ? "{\"resourceType\":\"Patient\",\"active\":true}"
                    : "{\"hook\":\"patient-view\",\"hookInstance\":\"" + UUID.randomUUID()
                    + "\",\"context\":{\"userId\":\"Practitioner/x\",\"patientId\":\"1\"}}";
            request.header("Content-Type", route[1].startsWith("/fhir") ? "application/fhir+json" : "application/json");
            request.method(route[0], route[0].equals("GET") ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> answer = http.send(request.build());
            sent++;
            if (answer.statusCode() != 401 || CLASS_NAME.matcher(answer.body()).find()
                    || answer.body().contains(token)) {
                failures.add(answer.statusCode() + " " + route[0] + " " + route[1] + " with "
                        + token.substring(0, Math.min(60, token.length())) + " -> "
                        + answer.body().substring(0, Math.min(200, answer.body().length())));
            }
        }
        assertThat(sent).isEqualTo(600);
        assertThat(failures).isEmpty();
        assertThat(stored()).as("no forged write stored anything").isEqualTo(before);
    }

    private List<Supplier<String>> forgeries(SplittableRandom random, RSAKey attacker) {
        RSAKey issuer = TestTokens.testIssuerKey();
        Instant now = Instant.now();
        Supplier<JWTClaimsSet.Builder> claims = () -> new JWTClaimsSet.Builder().issuer(TestTokens.FHIR_ISSUER)
                .subject("mallory").claim("scope", "user/*.cruds system/*.cruds").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString())
                .audience(List.of("http://127.0.0.1:" + port + "/cds-services/naltrexone-patient-view"));
        List<Supplier<String>> forgeries = new ArrayList<>();
        forgeries.add(() -> TestTokens.sign(attacker, JWSAlgorithm.RS256, claims.get().build(), null));
        forgeries.add(() -> TestTokens.unsigned(claims.get().build()));
        forgeries.add(() -> TestTokens.hmac(claims.get().build()));
        forgeries.add(() -> hmacWithPublicKey(issuer, claims.get().build()));
        forgeries.add(() -> withHeader(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuer.getKeyID())
                .jwk(attacker.toPublicJWK()).build(), claims.get().build()));
        forgeries.add(() -> withHeader(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("../../etc/passwd")
                .jwkURL(URI.create("http://127.0.0.1:9/jwks")).build(), claims.get().build()));
        forgeries.add(() -> withHeader(attacker, new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(new JOSEObjectType("xyz")).build(), claims.get().build()));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().issuer(TestTokens.FHIR_ISSUER + "/")
                .build(), null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().issuer("HTTPS://IDP.NTX.TEST")
                .build(), null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().expirationTime(null).build(),
                null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().expirationTime(
                Date.from(now.plus(Duration.ofDays(30)))).build(), null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().notBeforeTime(
                Date.from(now.plus(Duration.ofMinutes(3)))).build(), null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().issueTime(
                Date.from(now.plus(Duration.ofMinutes(3)))).build(), null));
        forgeries.add(() -> TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().expirationTime(
                Date.from(now.minus(Duration.ofMinutes(3)))).build(), null));
        forgeries.add(() -> tampered(TestTokens.sign(issuer, JWSAlgorithm.RS256, claims.get().build(), null)));
        forgeries.add(() -> "eyJhbGciOiJSUzI1NiJ9." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"x\"".getBytes(StandardCharsets.UTF_8)) + ".AAAA");
        forgeries.add(() -> "a".repeat(2000 + random.nextInt(2000)));
        forgeries.add(() -> "...");
        forgeries.add(() -> "%00%ff");
        forgeries.add(() -> TestTokens.sandboxCdsToken("https://another.example/cds-services/naltrexone-patient-view"));
        return forgeries;
    }

    /** alg confusion: HS256 keyed with the issuer's public key, as if the server used it as a shared secret. */
    private static String hmacWithPublicKey(RSAKey issuer, JWTClaimsSet claims) {
        try {
            byte[] secret = issuer.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.getKeyID()).build(),
                    claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withHeader(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token with its claims swapped for others (a different scope): the signature no longer matches. */
    private static String tampered(String token) {
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("user/*.cruds", "user/*.crudz");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private long stored() {
        return jdbc.queryForObject("SELECT count(*) FROM hfj_res_ver WHERE res_type NOT IN ('AuditEvent', 'Binary')",
                Long.class);
    }
}
