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
 * CDS Hooks client authentication with security on: every service call needs a JWT from a trusted client; the public
 * sandbox's ES384 tokens (with their internet jku) are accepted with its keys configured out of band. The service
 * here is a test stand-in ({@link CdsEchoController}); calls to services this branch does not have pass
 * authentication and then find nothing (404).
 */
@SecuredIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SecurityCdsClientIT {

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
        HttpResponse<String> response = http.postJson(CdsEchoController.PATH, null, hookRequest("p-1", null));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("error").asText()).isEqualTo("Unauthorized");
        assertThat(body.get("message").asText()).isNotBlank();
    }

    @Test
    void acceptsTheSandboxsEs384TokenAndRefusesItsReplay() throws Exception {
        String token = TestTokens.sandboxCdsToken(http.url(CdsEchoController.PATH));

        HttpResponse<String> accepted = http.postJson(CdsEchoController.PATH, token, hookRequest("p-2", null));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(json.readTree(accepted.body()).get("client").asText()).isEqualTo(TestTokens.SANDBOX_ISSUER);

        HttpResponse<String> replayed = http.postJson(CdsEchoController.PATH, token, hookRequest("p-2", null));
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(json.readTree(replayed.body()).get("message").asText()).contains("already been used");
    }

    @Test
    void letsAnAuthenticatedCallThroughToAnyServicePath() {
        String service = "/cds-services/naltrexone-order-check";
        HttpResponse<String> response = http.postJson(service, TestTokens.sandboxCdsToken(http.url(service)),
                "{\"hook\":\"order-sign\"}");
        // No CDS controller on this branch: past authentication there is nothing to answer.
        assertThat(response.statusCode()).isNotIn(401, 403);
    }

    @Test
    void refusesATokenForAnotherService() {
        String token = TestTokens.sandboxCdsToken(http.url("/cds-services/another-service"));
        assertThat(http.postJson(CdsEchoController.PATH, token, hookRequest("p-3", null)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void refusesAnUnknownIssuerHmacUnsignedAndExpiredTokens() {
        String audience = http.url(CdsEchoController.PATH);
        String unknownIssuer = TestTokens.sign(TestTokens.testSandboxKey(), JWSAlgorithm.ES384,
                TestTokens.cdsClaims("https://ehr.unknown.example", audience).build(), TestTokens.SANDBOX_JKU);
        String hmac = TestTokens.hmac(TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience).build());
        String unsigned = TestTokens.unsigned(TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience).build());
        JWTClaimsSet expiredClaims = TestTokens.cdsClaims(TestTokens.SANDBOX_ISSUER, audience)
                .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(10))))
                .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5)))).build();
        String expired = TestTokens.sign(TestTokens.testSandboxKey(), JWSAlgorithm.ES384, expiredClaims, null);

        for (String token : new String[] {unknownIssuer, hmac, unsigned, expired}) {
            assertThat(http.postJson(CdsEchoController.PATH, token, hookRequest("p-4", null)).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void refusalsCarryCorsHeadersAndPreflightNeedsNoToken() {
        String origin = "https://sandbox.cds-hooks.org";
        HttpResponse<String> refused = http.send(http.request(CdsEchoController.PATH, null)
                .header("Origin", origin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);

        HttpResponse<String> preflight = http.send(http.request(CdsEchoController.PATH, null)
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
        String jwt = TestTokens.sandboxCdsToken(http.url(CdsEchoController.PATH));

        assertThat(http.postJson(CdsEchoController.PATH, jwt, hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(200);
        assertThat(http.postJson(CdsEchoController.PATH, jwt, hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(401); // refused (replay), and still not logged
        assertThat(http.postJson(CdsEchoController.PATH, "not-a-jwt", hookRequest("p-5", lentToken)).statusCode())
                .isEqualTo(401);

        assertThat(output.getAll()).doesNotContain(lentToken).doesNotContain(jwt)
                .doesNotContain(jwt.substring(jwt.lastIndexOf('.') + 1));
    }

    /** A CDS Hooks request as a client sends it, optionally lending a FHIR access token. */
    static String hookRequest(String patientId, String fhirAccessToken) {
        String authorization = fhirAccessToken == null ? "" : """
                "fhirServer": "https://ehr.example.org/fhir",
                "fhirAuthorization": {"access_token": "%s", "token_type": "Bearer", "expires_in": 300,
                                      "scope": "patient/*.rs", "subject": "cds-service"},
                """.formatted(fhirAccessToken);
        return """
                {"hook": "order-sign", "hookInstance": "%s", %s
                 "context": {"userId": "Practitioner/example", "patientId": "%s", "draftOrders": {}}}
                """.formatted(UUID.randomUUID(), authorization, patientId);
    }
}
