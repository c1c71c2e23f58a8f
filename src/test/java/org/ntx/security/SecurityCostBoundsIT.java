package org.ntx.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.server.LimitProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.dao.DataAccessException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Requests that would cost the server far more than they look are refused before the work starts, each with a 4xx
 * that names its limit, and the database itself cancels any statement that runs past its configured timeout. The
 * limits are asserted to be enforced, not timed. Also the inputs the attack run saw answered with a 5xx.
 */
@SecuredIntegrationTest
class SecurityCostBoundsIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LimitProperties limits;

    final ObjectMapper json = new ObjectMapper();
    final String admin = TestTokens.fhirAccessToken("admin", "user/*.cruds", null);
    TestHttp http;

    @BeforeEach
    void connect() {
        http = new TestHttp(port);
    }

    @Test
    void refusesSearchesBeyondTheirLimits() {
        for (String query : List.of("_sort=name,name,name,name,name,name", "_sort=name,-name", "_sort=a,b,c,d",
                "_include=*", "_revinclude=*", "_include:iterate=Patient:*",
                "_revinclude=Observation:subject&_revinclude=Condition:subject&_revinclude=MedicationRequest:subject"
                        + "&_revinclude=Encounter:subject&_revinclude=Procedure:subject&_revinclude=Immunization:patient",
                "_count=-1", "_offset=-1", "_offset=abc")) {
            HttpResponse<String> answer = http.get("/fhir/Patient?" + query, admin);
            assertThat(answer.statusCode()).as(query + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("OperationOutcome").doesNotContain("Exception");
        }
        assertThat(http.get("/fhir/Patient?_sort=-birthdate,name&_count=5", admin).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesABundleWithMoreEntriesThanTheLimitAndStoresNothing() {
        String tag = UUID.randomUUID().toString();
        String entry = "{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:bulk\","
                + "\"value\":\"" + tag + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}";
        for (String type : List.of("batch", "transaction")) {
            String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":["
                    + String.join(",", Collections.nCopies(limits.maxBundleEntries() + 1, entry)) + "]}";
            HttpResponse<String> answer = http.postFhir("/fhir", admin, bundle);
            assertThat(answer.statusCode()).as(type).isEqualTo(400);
            assertThat(answer.body()).contains("max-bundle-entries");
        }
        assertThat(http.get("/fhir/Patient?identifier=urn:bulk%7C" + tag + "&_summary=count", admin).body())
                .contains("\"total\":0");
    }

    @Test
    void refusesABatchWithMoreReadsThanTheLimit() {
        String entry = "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_count=1\"}}";
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + String.join(",", Collections.nCopies(limits.maxBundleReads() + 1, entry)) + "]}";
        HttpResponse<String> answer = http.postFhir("/fhir", admin, bundle);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("max-bundle-reads").contains("OperationOutcome");

        String allowed = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + String.join(",", Collections.nCopies(limits.maxBundleReads(), entry)) + "]}";
        assertThat(http.postFhir("/fhir", admin, allowed).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesMoreDraftOrdersThanTheLimit() {
        String draft = "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"status\":\"draft\",\"intent\":\"order\"}}";
        String body = """
                {"hook": "order-sign", "hookInstance": "%s", "context": {"userId": "Practitioner/x",
                 "patientId": "p-drafts", "draftOrders": {"resourceType": "Bundle", "type": "collection",
                 "entry": [%s]}}}""".formatted(UUID.randomUUID(), String.join(",", Collections.nCopies(101, draft)));
        String path = "/cds-services/naltrexone-order-sign";
        HttpResponse<String> answer = http.postJson(path, TestTokens.sandboxCdsToken(http.url(path)), body);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("max-draft-orders");
    }

    /** The database cancels a statement that runs past ntx.storage.statement-timeout (5 s in this context). */
    @Test
    void theDatabaseCancelsAStatementThatRunsPastTheTimeout() {
        assertThat(jdbc.queryForObject("SHOW statement_timeout", String.class))
                .isEqualTo(SecuredIntegrationTest.STATEMENT_TIMEOUT);
        DataAccessException cancelled = catchThrowableOfType(() -> jdbc.execute("SELECT pg_sleep(30)"),
                DataAccessException.class);
        assertThat(cancelled).isNotNull();
        SQLException cause = (SQLException) cancelled.getMostSpecificCause();
        assertThat(cause.getSQLState()).as("query_canceled").isEqualTo("57014");
    }

    @Test
    void answersTheInputsThatUsedToBe5xxWithA4xxAndNoClassNames() throws Exception {
        String patient = json.readTree(http.postFhir("/fhir/Patient", admin,
                "{\"resourceType\":\"Patient\",\"active\":true}").body()).get("id").asText();
        List<HttpRequest> requests = List.of(
                http.request("/fhir/Observation?value-quantity=abc", admin).GET().build(),
                http.request("/fhir/Observation?value-quantity=NaN", admin).GET().build(),
                http.request("/fhir/Observation?value-quantity=Infinity", admin).GET().build(),
                http.request("/fhir/Observation?value-quantity=gt-Infinity%7Chttp://unitsofmeasure.org%7CU/L", admin)
                        .GET().build(),
                http.request("/fhir/Patient/" + patient, admin).header("Content-Type", "application/fhir+json")
                        .header("If-Match", "garbage").PUT(HttpRequest.BodyPublishers.ofString(
                                "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}")).build(),
                http.request("/fhir/Patient/" + patient, admin).header("Content-Type", "application/xml-patch+xml")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("<diff><bogus/></diff>")).build(),
                http.request("/fhir/Patient/" + patient, admin).header("Content-Type", "application/json-patch+json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/activ\","
                                + "\"value\":true}]")).build(),
                http.request("/fhir/Patient", admin).header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"name\":[{"
                                + "\"family\":\"\\ud800\"}]}")).build());
        for (HttpRequest request : requests) {
            HttpResponse<String> answer = http.send(request);
            assertThat(answer.statusCode()).as(request.method() + " " + request.uri() + ": " + answer.body())
                    .isBetween(400, 499);
            assertThat(answer.body()).as(request.uri().toString()).contains("OperationOutcome")
                    .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]+Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void anonymousHealthShowsTheStatusOnlyAndATokenSeesTheDetails() {
        HttpResponse<String> anonymous = http.send(http.request("/actuator/health", null).GET().build());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("UP").doesNotContain("\"db\"").doesNotContain("PostgreSQL");
        HttpResponse<String> authorized = http.send(http.request("/actuator/health",
                TestTokens.fhirAccessToken("ops", "user/*.rs", null)).GET().build());
        assertThat(authorized.body()).contains("\"db\"").contains("PostgreSQL");
        assertThat(http.send(http.request("/actuator/health", "forged").GET().build()).statusCode())
                .isEqualTo(401);
    }

    /** Java's HTTP client will not send a Host header of its choosing, so this one goes over a raw socket. */
    @Test
    void neverEchoesAForgedHostIntoLinks() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("GET /fhir/Patient?_count=1 HTTP/1.1\r\nHost: evil.example:666\r\n"
                    + "Authorization: Bearer " + admin + "\r\nAccept: application/fhir+json\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").contains("http://127.0.0.1:" + port + "/fhir")
                    .doesNotContain("evil.example");
        }
    }
}
