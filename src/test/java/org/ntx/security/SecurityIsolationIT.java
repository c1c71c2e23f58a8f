package org.ntx.security;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Patient isolation and scopes against requests that learn about data without reading it: conditional creates,
 * updates, deletes and patches (headers, URLs, transaction entries), conditional references, chained parameters,
 * {@code _has}, chained sorts, batch entries for another patient, the web API's record reads, and the research
 * scope's exports. Two patients, A (the caller's) and B (someone else's), each with an Observation identified by a
 * value only the test knows.
 */
@SecuredIntegrationTest
class SecurityIsolationIT {

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    final ObjectMapper json = new ObjectMapper();
    TestHttp http;
    final String admin = TestTokens.fhirAccessToken("admin", "user/*.cruds", null);
    String a;
    String b;
    String tag;
    String observationB;

    @BeforeEach
    void seedTwoPatients() throws Exception {
        http = new TestHttp(port);
        tag = UUID.randomUUID().toString();
        a = create("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Alpha-" + tag + "\"}]}");
        b = create("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Bravo-" + tag + "\"}]}");
        observationB = create(observation(b, "b-" + tag));
        create("{\"resourceType\":\"Condition\",\"code\":{\"text\":\"cirrhosis-" + tag + "\"},"
                + "\"subject\":{\"reference\":\"Patient/" + b + "\"}}");
    }

    @Test
    void conditionalWritesOfAPatientBoundTokenNeverMatchAnotherPatientsRecords() throws Exception {
        String writer = TestTokens.fhirAccessToken("patient/*.cruds", a);
        String ifNoneExist = "identifier=urn:test%7Cb-" + tag;

        HttpResponse<String> created = send(http.request("/fhir/Observation", writer)
                .header("Content-Type", "application/fhir+json").header("If-None-Exist", ifNoneExist)
                .header("Prefer", "return=representation")
                .POST(HttpRequest.BodyPublishers.ofString(observation(a, "b-" + tag))).build());
        // Confined to A's compartment: B's matching Observation is not found, so A's is created, not B's returned.
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(observationB).doesNotContain(b);

        // Conditional update, patch and delete matching B's Observation: confined to A, so B's is untouched.
        HttpResponse<String> update = send(http.request("/fhir/Observation?" + ifNoneExist, writer)
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(observation(a, "b-" + tag))).build());
        assertThat(update.statusCode()).as(update.body()).isIn(200, 201, 403, 412);
        HttpResponse<String> patch = send(http.request("/fhir/Observation?" + ifNoneExist, writer)
                .header("Content-Type", "application/json-patch+json").method("PATCH",
                        HttpRequest.BodyPublishers.ofString("[{\"op\":\"replace\",\"path\":\"/status\","
                                + "\"value\":\"entered-in-error\"}]")).build());
        assertThat(patch.statusCode()).as("confined to A's own Observation with that identifier").isLessThan(500);
        HttpResponse<String> delete = send(http.request("/fhir/Observation?" + ifNoneExist, writer).DELETE().build());
        assertThat(delete.statusCode()).isLessThan(500);
        assertThat(json.readTree(http.get("/fhir/Observation/" + observationB, admin).body()).get("status").asText())
                .as("B's Observation is unchanged").isEqualTo("final");

        // The same inside a transaction.
        String transaction = """
                {"resourceType": "Bundle", "type": "transaction", "entry": [{"resource": %s,
                  "request": {"method": "POST", "url": "Observation", "ifNoneExist": "%s"}}]}
                """.formatted(observation(a, "b-" + tag), ifNoneExist);
        HttpResponse<String> inTransaction = send(http.request("/fhir", writer)
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=representation")
                .POST(HttpRequest.BodyPublishers.ofString(transaction)).build());
        assertThat(inTransaction.body()).doesNotContain(observationB);
    }

    @Test
    void conditionalReferencesAndUrlsAreSearchesTheTokenMustBeAllowed() {
        String patientWriter = TestTokens.fhirAccessToken("patient/*.cruds", a);
        HttpResponse<String> toB = http.postFhir("/fhir/Observation", patientWriter,
                observation(a, "x").replace("\"reference\":\"Patient/" + a + "\"",
                        "\"reference\":\"Patient?name=Bravo-" + tag + "\""));
        assertThat(toB.statusCode()).isEqualTo(403);

        String noSearch = TestTokens.fhirAccessToken("user/Observation.cu", null);
        HttpResponse<String> oracle = send(http.request("/fhir/Observation", noSearch)
                .header("Content-Type", "application/fhir+json").header("If-None-Exist", "identifier=urn:test%7Cb-" + tag)
                .POST(HttpRequest.BodyPublishers.ofString(observation(a, "y"))).build());
        assertThat(oracle.statusCode()).as("a conditional create is a search").isEqualTo(403);

        for (String reference : List.of("?", "Patient?", "?name=x", "NoSuchType?x=1")) {
            HttpResponse<String> answer = http.postFhir("/fhir/Observation", admin,
                    observation(a, "z").replace("\"reference\":\"Patient/" + a + "\"",
                            "\"reference\":\"" + reference + "\""));
            assertThat(answer.statusCode()).as(reference).isEqualTo(400);
            assertThat(answer.body()).contains("OperationOutcome").doesNotContain("Exception");
        }
    }

    @Test
    void chainsHasAndChainedSortsReachingUnreadableTypesAreRefused() {
        String observationsOnly = TestTokens.fhirAccessToken("user/Observation.rs", null);
        for (String query : List.of("subject:Patient.name=Bravo-" + tag, "patient.name=Bravo-" + tag,
                "_sort=patient.name", "_has:AuditEvent:entity:agent=x", "_list=1",
                "patient._has:Condition:patient:code:text=cirrhosis-" + tag)) {
            HttpResponse<String> answer = http.get("/fhir/Observation?" + query, observationsOnly);
            assertThat(answer.statusCode()).as(query).isEqualTo(403);
        }
        assertThat(http.get("/fhir/Patient?_has:Condition:patient:code:text=cirrhosis-" + tag,
                TestTokens.fhirAccessToken("user/Patient.rs", null)).statusCode()).isEqualTo(403);
        assertThat(http.get("/fhir/Observation?subject:Patient.name=Alpha-" + tag,
                TestTokens.fhirAccessToken("patient/*.rs", a)).statusCode()).isEqualTo(403);
        // Allowed when the token may search both types.
        assertThat(http.get("/fhir/Observation?subject:Patient.name=Bravo-" + tag,
                TestTokens.fhirAccessToken("user/Observation.rs user/Patient.rs", null)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aBatchEntryForAnotherPatientIsRefusedNotRewritten() throws Exception {
        String batch = """
                {"resourceType": "Bundle", "type": "batch", "entry": [
                  {"request": {"method": "GET", "url": "Patient/%s"}},
                  {"request": {"method": "GET", "url": "Observation/%s"}},
                  {"request": {"method": "GET", "url": "Patient/%s"}}]}
                """.formatted(b, observationB, a);
        HttpResponse<String> answer = http.postFhir("/fhir", TestTokens.fhirAccessToken("patient/*.rs", a), batch);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode entries = json.readTree(answer.body()).get("entry");
        assertThat(entries.get(0).path("response").path("status").asText()).startsWith("403");
        assertThat(entries.get(0).toString()).doesNotContain("\"id\":\"" + a + "\"");
        assertThat(entries.get(1).path("response").path("status").asText()).startsWith("403");
        assertThat(entries.get(2).path("response").path("status").asText()).startsWith("200");
        assertThat(entries.get(2).path("resource").path("id").asText()).isEqualTo(a);
    }

    @Test
    void theWebApiNeedsReadAndSearchOnEveryTypeOfTheRecord() {
        String path = "/api/patients/" + a + "/timeline";
        assertThat(send(http.request(path, TestTokens.fhirAccessToken("patient/Observation.rs", a))
                .header("Accept", "application/json").GET().build()).statusCode()).isEqualTo(403);
        assertThat(send(http.request(path, TestTokens.fhirAccessToken("patient/*.rs", a))
                .header("Accept", "application/json").GET().build()).statusCode()).isEqualTo(200);

        String tryOut = """
                {"hook": "patient-view", "hookInstance": "%s", "fhirServer": "http://127.0.0.1:%d/actuator",
                 "context": {"userId": "Practitioner/web", "patientId": "%s"}}""".formatted(UUID.randomUUID(), port, a);
        HttpResponse<String> ssrf = http.postJson("/api/cds-services/naltrexone-patient-view",
                TestTokens.fhirAccessToken("patient/*.rs", a), tryOut);
        assertThat(ssrf.statusCode()).as("the page's try-out reads only the own store").isEqualTo(400);
    }

    @Test
    void theResearchScopeReadsOnlyItsOwnExportFilesAndPollsOnlyItsOwnJobs() throws Exception {
        String alice = TestTokens.fhirAccessToken("researcher-alice-" + tag, AccessGrant.RESEARCH_SCOPE, null);
        String bob = TestTokens.fhirAccessToken("researcher-bob-" + tag, AccessGrant.RESEARCH_SCOPE, null);
        String binary = create("{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"c2VjcmV0\"}");
        assertThat(http.get("/fhir/Binary/" + binary, alice).statusCode())
                .as("a Binary that is no export file of hers").isEqualTo(403);

        HttpResponse<String> kickOff = send(http.request("/fhir/$export?_type=Patient", alice)
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET().build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        String statusPath = URI.create(status).getRawPath() + "?" + URI.create(status).getRawQuery();

        assertThat(send(http.request(statusPath, bob).GET().build()).statusCode())
                .as("another researcher polls her job").isEqualTo(403);
        assertThat(send(http.request(statusPath, admin).GET().build()).statusCode()).isEqualTo(403);

        HttpResponse<String> done = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            jobMaintenance.forceMaintenancePass();
            done = send(http.request(statusPath, alice).GET().build());
            if (done.statusCode() == 200) {
                break;
            }
            assertThat(done.statusCode()).as(done.body()).isEqualTo(202);
            Thread.sleep(250);
        }
        assertThat(done.statusCode()).as("export did not complete").isEqualTo(200);
        List<String> files = new ArrayList<>();
        json.readTree(done.body()).get("output").forEach(output -> files.add(output.get("url").asText()));
        assertThat(files).isNotEmpty();
        for (String file : files) {
            String filePath = URI.create(file).getRawPath();
            assertThat(http.get(filePath, alice).statusCode()).as("her own file").isEqualTo(200);
            assertThat(http.get(filePath, bob).statusCode()).as("not his").isEqualTo(403);
        }
    }

    private String create(String resource) throws Exception {
        String type = json.readTree(resource).get("resourceType").asText();
        HttpResponse<String> created = http.postFhir("/fhir/" + type, admin, resource);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).get("id").asText();
    }

    private static String observation(String patient, String identifier) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\"urn:test\","
                + "\"value\":\"" + identifier + "\"}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                + "\"code\":\"1742-6\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"valueQuantity\":{\"value\":400,\"unit\":\"U/L\"}}";
    }

    private HttpResponse<String> send(HttpRequest request) {
        return http.send(request);
    }
}
