package org.ntx.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import org.junit.jupiter.api.Test;
import org.ntx.rules.Topic;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README cannot drift from the server: every URL in its URL table answers 2xx on a running server (the README's
 * {@code 127.0.0.1:8080} replaced by the test's port, {@code {id}} by a stored patient, {@code {topic}} by each card
 * topic), every fenced {@code curl} example runs against it and answers 2xx (read without a shell by
 * {@link ReadmeExamples}, in README order, so an example may use what an earlier one saved), and every card a CDS
 * service returns links ({@code source.url}) to a page this server serves.
 */
@IntegrationTest
class ReadmeIT {

    private static final Pattern URL = Pattern.compile("http://127\\.0\\.0\\.1:8080(/[^\\s|)`]*)?");

    @LocalServerPort
    int port;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyUrlInTheReadmesUrlTableAnswers2xx() throws Exception {
        List<String> urls = urlTable();
        assertThat(urls).hasSizeGreaterThanOrEqualTo(10)
                .anyMatch(u -> u.contains("{id}")).anyMatch(u -> u.contains("{topic}"));
        String patientId = createPatient();
        for (String url : urls) {
            List<String> concrete = new ArrayList<>();
            if (url.contains("{topic}")) {
                for (Topic topic : Topic.values()) {
                    concrete.add(url.replace("{topic}", topic.code()));
                }
            } else {
                concrete.add(url.replace("{id}", patientId));
            }
            for (String path : concrete) {
                HttpResponse<String> response = get(path);
                assertThat(response.statusCode()).as("README URL %s: %s", path, response.body())
                        .isBetween(200, 299);
            }
        }
    }

    @Test
    void everyCurlExampleInTheReadmeAnswers2xx() throws Exception {
        createPatient(); // something for the Patient-level export to export

        List<ReadmeExamples.Call> calls = new ArrayList<>();
        ReadmeExamples examples = new ReadmeExamples("http://127.0.0.1:" + port, () -> {
            jobMaintenance.forceMaintenancePass(); // HAPI's export jobs advance on its maintenance pass
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, calls::add);
        List<String> statements = ReadmeExamples.statements(Files.readString(Path.of("README.md"))).stream()
                .filter(ReadmeExamples::isCall).toList();
        assertThat(statements).hasSizeGreaterThanOrEqualTo(10);
        for (String statement : statements) {
            examples.run(statement);
        }
        for (ReadmeExamples.Call call : calls) {
            assertThat(call.status()).as("README example %s %s answered %s: %s", call.method(), call.url(),
                    call.status(), call.body()).isBetween(200, 299);
        }
        assertThat(calls).extracting(ReadmeExamples.Call::url)
                .anyMatch(url -> url.endsWith("/cds-services/naltrexone-order-sign/feedback"))
                .anyMatch(url -> url.contains("$naltrexone-outcomes-export"))
                .anyMatch(url -> url.contains("/actuator/health/readiness"))
                .anyMatch(url -> url.contains("_jobId") || url.contains("Binary"));
    }

    @Test
    void everyCardLinksToAPageThisServerServes() throws Exception {
        String patientId = createPatient();
        String body = "{\"hook\":\"patient-view\",\"hookInstance\":\"0b8e1a47-8f7c-4a38-9f0e-5b1a3c2d4e5f\","
                + "\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\"" + patientId + "\"},"
                + "\"prefetch\":{\"medicationAdministrations\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\","
                + "\"entry\":[{\"resource\":{\"resourceType\":\"MedicationAdministration\",\"id\":\"inj-1\","
                + "\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"effectiveDateTime\":\"2020-01-01T10:00:00Z\",\"medicationCodeableConcept\":{\"coding\":[{"
                + "\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"637213\"}]}}}]}}}";
        HttpResponse<String> cards = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/cds-services/naltrexone-patient-view")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cards.statusCode()).isEqualTo(200);
        JsonNode list = json.readTree(cards.body()).path("cards");
        assertThat(list.size()).isPositive();
        for (JsonNode card : list) {
            String url = card.path("source").path("url").asText();
            String topic = card.path("source").path("topic").path("code").asText();
            assertThat(url).isEqualTo("http://127.0.0.1:" + port + "/cards/" + topic);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<h2>Sources</h2>", "<h2>What the rule checks</h2>");
            for (JsonNode link : card.path("links")) {
                assertThat(get(link.path("url").asText().replaceFirst("^https?://[^/]+", "")).statusCode())
                        .isBetween(200, 299);
            }
        }
    }

    private List<String> urlTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## URLs");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README has a URLs section").isNotNegative();
        List<String> paths = new ArrayList<>();
        for (String line : readme.substring(start, end).lines().filter(l -> l.startsWith("|")).toList()) {
            Matcher url = URL.matcher(line);
            while (url.find()) {
                paths.add(url.group(1) == null ? "/" : url.group(1));
            }
        }
        return paths;
    }

    private String createPatient() throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/fhir/Patient")).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        return json.readTree(created.body()).path("id").asText();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
