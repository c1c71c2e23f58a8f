package org.ntx.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDS Hooks client authentication with security on: every call to the real services needs a JWT from a trusted
 * client; the public sandbox's ES384 tokens (with their internet jku) are accepted with its keys configured out of
 * band.
 */
@SecuredIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecurityCdsClientIT {

    static final String ORDER_SIGN = "/cds-services/naltrexone-order-sign";

    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    TestHttp http;

    @BeforeEach
    void connect() {
        http = new TestHttp(port);
    }

    @Test
    void leavesDiscoveryOpen() {
        HttpResponse<String> discovery = http.send(http.request("/cds-services", null).GET().build());
        assertThat(discovery.statusCode()).isNotIn(401, 403);
    }

    @Test
    void refusesAServiceCallWithoutAJwt() throws Exception {
        HttpResponse<String> response = http.postJson(ORDER_SIGN, null, hookRequest("p-1", null));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("error").asText()).isEqualTo("Unauthorized");
        assertThat(body.get("message").asText()).isNotBlank();
    }

    @Test
    void acceptsTheSandboxsEs384TokenAndRefusesItsReplay() throws Exception {
        String token = TestTokens.sandboxCdsToken(http.url(ORDER_SIGN));

        HttpResponse<String> accepted = http.postJson(ORDER_SIGN, token, hookRequest("p-2", null));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json.readTree(accepted.body()).get("cards").isArray()).isTrue();

        HttpResponse<String> replayed = http.postJson(ORDER_SIGN, token, hookRequest("p-2", null));
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(json.readTree(replayed.body()).get("message").asText()).contains("already been used");
    }

    @Test
    void aTokenForOneServiceDoesNotOpenTheOthers() {
        String token = TestTokens.sandboxCdsToken(http.url(ORDER_SIGN));
        assertThat(http.postJson("/cds-services/naltrexone-patient-view", token,
                "{\"hook\":\"patient-view\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void refusesATokenForAnotherService() {
        String token = TestTokens.sandboxCdsToken(http.url("/cds-services/another-service"));
        assertThat(http.postJson(ORDER_SIGN, token, hookRequest("p-3", null)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void refusesAnUnknownIssuerHmacUnsignedExpiredAndNotYetValidTokens() {
        String audience = http.url(ORDER_SIGN);
        String unknownIssuer = TestTokens.sign(TestTokens.testSandboxKey(), JWSAlgorithm.ES384,
                TestTokens.cdsClaims("https://ehr.unknown.example", audience).build(), TestTokens.SANDBOX_JKU);
        String hmac = TestTokens.hmac(TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience).build());
        String unsigned = TestTokens.unsigned(TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience).build());
        JWTClaimsSet expiredClaims = TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience)
                .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))).build();
        String expired = TestTokens.sign(TestTokens.testSandboxKey(), JWSAlgorithm.ES384, expiredClaims, null);

        String notYetValid = TestTokens.sign(TestTokens.testSandboxKey(), JWSAlgorithm.ES384,
                TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience)
                        .notBeforeTime(Date.from(Instant.now().plus(Duration.ofMinutes(3)))).build(), null);

        for (String token : new String[] {unknownIssuer, hmac, unsigned, expired, notYetValid}) {
            assertThat(http.postJson(ORDER_SIGN, token, hookRequest("p-4", null)).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void refusalsCarryCorsHeadersAndPreflightNeedsNoToken() {
        String origin = "https://sandbox.cds-hooks.org";
        HttpResponse<String> refused = http.send(http.request(ORDER_SIGN, null)
                .header("Origin", origin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);

        HttpResponse<String> preflight = http.send(http.request(ORDER_SIGN, null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
    }

    @Test
    void neverLogsTheFhirAccessTokenLentInTheRequestOrTheClientJwt(CapturedOutput output) {
        String lentToken = "ntx-test-fhirAuthorization-" + UUID.randomUUID();
        String jwt = TestTokens.sandboxCdsToken(http.url(ORDER_SIGN));

        assertThat(http.postJson(ORDER_SIGN, jwt, hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(200);
        assertThat(http.postJson(ORDER_SIGN, jwt, hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(401); // refused (replay), and still not logged
        assertThat(http.postJson(ORDER_SIGN, "not-a-jwt", hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(401);

        assertThat(output.getAll()).doesNotContain(lentToken).doesNotContain(jwt)
                .doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
    }

    /**
     * A CDS Hooks request as a client sends it, optionally lending a FHIR access token for a FHIR server on a closed
     * loopback port (the service tries it, fails fast, and answers with a data-unavailable card).
     */
    static String hookRequest(String patientId, String fhirAccessToken) {
        String authorization = fhirAccessToken == null ? "" : """
                "fhirServer": "http://127.0.0.1:9/fhir",
                "fhirAuthorization": {"access_token": "%s", "token_type": "Bearer", "expires_in": 300,
                                      "scope": "patient/*.rs", "subject": "cds-service"},
                """.formatted(fhirAccessToken);
        return """
                {"hook": "order-sign", "hookInstance": "%s", %s
                 "context": {"userId": "Practitioner/example", "patientId": "%s", "draftOrders": {"resourceType": "Bundle", "type": "collection"}}}
                """.formatted(UUID.randomUUID(), authorization, patientId);
    }
}
