package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The FHIR API with authentication on: who gets in (401 otherwise), and what each kind of token may see and do (403
 * beyond its scopes), always answered with an OperationOutcome.
 */
@SecuredIntegrationTest
class SecurityFhirApiIT {

    static final String SANDBOX_ORIGIN = "https://sandbox.cds-hooks.org";

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    final ObjectMapper json = new ObjectMapper();
    TestHttp http;
    String patient1;
    String patient2;

    @BeforeEach
    void seedTwoPatientsWithAnOrderEach() {
        http = new TestHttp(port);
        IGenericClient admin = client(TestTokens.fhirAccessToken("user/*.cruds", null));
        patient1 = admin.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
        patient2 = admin.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
        admin.create().resource(order("Patient/" + patient1)).execute();
        admin.create().resource(order("Patient/" + patient2)).execute();
    }

    @Test
    void refusesARequestWithoutATokenWith401AndAnOperationOutcome() {
        HttpResponse<String> response = http.get("/fhir/Patient", null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertOperationOutcome(response, "login");
    }

    @Test
    void refusesATokenSignedByAnUnknownKey() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(TestTokens.FHIR_ISSUER).subject("mallory")
                .claim("scope", "user/*.cruds").issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).build();
        String forged = TestTokens.sign(TestTokens.newRsaKey("ntx-test-issuer-1"), JWSAlgorithm.RS256, claims, null);
        HttpResponse<String> response = http.get("/fhir/Patient/" + patient1, forged);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertOperationOutcome(response, "login");
    }

    @Test
    void refusesTokensWithoutExpiryValidTooLongOrNotValidYet() {
        Instant now = Instant.now();
        JWTClaimsSet.Builder base = new JWTClaimsSet.Builder().issuer(TestTokens.FHIR_ISSUER).subject("edge")
                .claim("scope", "user/*.cruds");
        List<JWTClaimsSet> refused = List.of(
                base.issueTime(Date.from(now)).expirationTime(null).build(),
                base.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofDays(3650)))).build(),
                base.issueTime(Date.from(now.plus(Duration.ofHours(1))))
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(70)))).build(),
                base.issueTime(Date.from(now)).notBeforeTime(Date.from(now.plus(Duration.ofMinutes(30))))
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(50)))).build());
        for (JWTClaimsSet claims : refused) {
            String token = TestTokens.sign(TestTokens.testIssuerKey(), JWSAlgorithm.RS256, claims, null);
            for (String path : List.of("/fhir/Patient/" + patient1, "/api/patients/" + patient1 + "/timeline")) {
                HttpResponse<String> response = http.get(path, token);
                assertThat(response.statusCode()).as(path + " " + claims.toJSONObject()).isEqualTo(401);
                assertThat(response.body()).doesNotContain(token);
            }
        }
    }

    @Test
    void keepsTheCapabilityStatementAndSmartConfigurationOpen() throws Exception {
        HttpResponse<String> metadata = http.get("/fhir/metadata", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("SMART-on-FHIR");

        HttpResponse<String> smart = http.get("/fhir/.well-known/smart-configuration", "a stale token");
        assertThat(smart.statusCode()).isEqualTo(200);
        JsonNode configuration = json.readTree(smart.body());
        assertThat(configuration.get("issuer").asText()).isEqualTo(TestTokens.FHIR_ISSUER);
        assertThat(configuration.get("scopes_supported").toString()).contains("patient/*.rs", "ntx/research");
        assertThat(configuration.get("capabilities").toString()).contains("permission-v2");
    }

    @Test
    void patientAppReadsItsOwnPatientButNotAnother() {
        String token = TestTokens.fhirAccessToken("patient/*.rs", patient1);
        assertThat(http.get("/fhir/Patient/" + patient1, token).statusCode()).isEqualTo(200);

        HttpResponse<String> other = http.get("/fhir/Patient/" + patient2, token);
        assertThat(other.statusCode()).isEqualTo(403);
        assertOperationOutcome(other, "forbidden");
    }

    @Test
    void patientAppSearchingOrdersSeesOnlyItsOwn() throws Exception {
        String token = TestTokens.fhirAccessToken("patient/MedicationRequest.rs", patient1);
        HttpResponse<String> response = http.get("/fhir/MedicationRequest?_count=100", token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(bundle.getEntry()).isNotEmpty().allSatisfy(entry -> assertThat(
                ((MedicationRequest) entry.getResource()).getSubject().getReference())
                .isEqualTo("Patient/" + patient1));
    }

    @Test
    void clinicianAppWithUserCrudsCreates() {
        HttpResponse<String> created = http.postFhir("/fhir/Patient",
                TestTokens.fhirAccessToken("user/*.cruds", null), "{\"resourceType\":\"Patient\",\"active\":true}");
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @Test
    void readOnlyTokenCannotCreate() {
        HttpResponse<String> refused = http.postFhir("/fhir/Patient",
                TestTokens.fhirAccessToken("user/*.rs", null), "{\"resourceType\":\"Patient\",\"active\":true}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertOperationOutcome(refused, "forbidden");
    }

    @Test
    void researchClientStartsAnExportButCannotReadAPatient() {
        String research = TestTokens.fhirAccessToken("research-client", AccessGrant.RESEARCH_SCOPE, null);
        HttpResponse<String> kickOff = http.send(http.request("/fhir/$export?_type=Patient,MedicationRequest",
                research).header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET().build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> poll = http.send(http.request(status.substring(status.indexOf("/fhir/")), research)
                .GET().build());
        assertThat(poll.statusCode()).as(poll.body()).isIn(200, 202);

        HttpResponse<String> read = http.get("/fhir/Patient/" + patient1, research);
        assertThat(read.statusCode()).isEqualTo(403);
        assertOperationOutcome(read, "forbidden");
    }

    @Test
    void refusalsStillCarryCorsHeadersForAnAllowedOrigin() {
        HttpResponse<String> unauthenticated = http.send(http.request("/fhir/Patient", null)
                .header("Origin", SANDBOX_ORIGIN).GET().build());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.headers().firstValue("Access-Control-Allow-Origin")).contains(SANDBOX_ORIGIN);
        assertThat(unauthenticated.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .contains("WWW-Authenticate");

        HttpResponse<String> forbidden = http.send(http.request("/fhir/Patient/" + patient2,
                        TestTokens.fhirAccessToken("patient/*.rs", patient1))
                .header("Origin", SANDBOX_ORIGIN).GET().build());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("Access-Control-Allow-Origin")).contains(SANDBOX_ORIGIN);
    }

    @Test
    void answersACorsPreflightWithoutAToken() {
        HttpResponse<String> preflight = http.send(http.request("/fhir/Patient", null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", SANDBOX_ORIGIN)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .build());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(SANDBOX_ORIGIN);
    }

    private void assertOperationOutcome(HttpResponse<String> response, String issueCode) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("fhir+json");
        assertThat(response.body()).containsPattern("\"resourceType\"\\s*:\\s*\"OperationOutcome\"")
                .contains("\"code\":\"" + issueCode + "\"")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    private IGenericClient client(String token) {
        IGenericClient client = FhirTestClient.forPort(fhirContext, port);
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }

    private static MedicationRequest order(String patient) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setSubject(new Reference(patient));
        order.setMedication(new CodeableConcept().addCoding(new Coding(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "1483744", "naltrexone hydrochloride 50 MG Oral Tablet")));
        return order;
    }
}
