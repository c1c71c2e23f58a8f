package org.ntx.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page's API ({@code /api}) with security on: it carries patient data, so it takes the same access tokens as
 * the FHIR API, and a patient-bound token reaches only its own patient, for the timeline and the CDS try-out alike.
 */
@SecuredIntegrationTest
class SecurityWebApiIT {

    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    TestHttp http;
    String patientId;

    @BeforeEach
    void seed() throws Exception {
        http = new TestHttp(port);
        HttpResponse<String> created = http.postFhir("/fhir/Patient",
                TestTokens.fhirAccessToken("registrar", "user/*.cruds", null),
                "{\"resourceType\":\"Patient\",\"active\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        patientId = json.readTree(created.body()).get("id").asText();
    }

    @Test
    void theTimelineNeedsATokenThatReachesThePatient() throws Exception {
        String path = "/api/patients/" + patientId + "/timeline";

        assertThat(get(path, null).statusCode()).isEqualTo(401);
        assertThat(get(path, "not-a-jwt").statusCode()).isEqualTo(401);
        assertThat(get(path, TestTokens.fhirAccessToken("patient/*.rs", "someone-else")).statusCode())
                .isEqualTo(403);
        assertThat(get(path, TestTokens.fhirAccessToken("user/MedicationRequest.rs", null)).statusCode())
                .as("a token limited to one type would see a partial record").isEqualTo(403);

        HttpResponse<String> own = get(path, TestTokens.fhirAccessToken("patient/*.rs", patientId));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(json.readTree(own.body()).get("patientId").asText()).isEqualTo(patientId);

        HttpResponse<String> clinician = get(path, TestTokens.fhirAccessToken("user/*.rs", null));
        assertThat(clinician.statusCode()).isEqualTo(200);
    }

    @Test
    void theCdsTryOutTakesTheUsersTokenNotACdsClientJwt() throws Exception {
        String path = "/api/cds-services/naltrexone-patient-view";
        String request = """
                {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                 "context": {"userId": "Practitioner/web-page", "patientId": "%s"}}""".formatted(patientId);

        assertThat(http.postJson(path, null, request).statusCode()).isEqualTo(401);
        HttpResponse<String> otherPatient = http.postJson(path,
                TestTokens.fhirAccessToken("patient/*.rs", "someone-else"), request);
        assertThat(otherPatient.statusCode()).isEqualTo(403);
        JsonNode refusal = json.readTree(otherPatient.body());
        assertThat(refusal.get("message").asText()).contains("Patient/" + patientId);

        HttpResponse<String> allowed = http.postJson(path, TestTokens.fhirAccessToken("user/*.rs", null), request);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(json.readTree(allowed.body()).get("cards").isArray()).isTrue();
    }

    private HttpResponse<String> get(String path, String token) {
        return http.send(http.request(path, token).header("Accept", "application/json").GET().build());
    }
}
