package org.ntx.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntx.profiles.NaltrexonePackage;
import org.ntx.support.ServerProcess;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first run, as an operator starts it: the packaged jar in its own JVM, no external service, the embedded
 * H2 file database under the data directory, which must survive a restart. Only the data directory (and a free port)
 * differ from the defaults. Each start must be clean (no ERROR in its log), and ready must mean ready: the package is
 * installed before the port opens, and every value set it ships expands.
 */
class FirstRunIT {

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void startsCleanOnTheEmbeddedDatabaseReadyMeansReadyAndKeepsDataAcrossARestart() throws Exception {
        Map<String, Object> defaults = Map.of("ntx.data-dir", dataDir.toString());
        String patientId;
        try (ServerProcess first = ServerProcess.start(defaults)) {
            assertStartedClean(first.log());
            JsonNode readiness = getJson(first, "/actuator/health/readiness");
            // Anonymous callers see the status only (management.endpoint.health.show-details: when-authorized), so
            // the database is identified by its file below.
            assertThat(readiness.path("status").asText()).isEqualTo("UP");
            assertEveryShippedValueSetExpands(first);

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/fhir/Patient"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"FirstRun\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            patientId = json.readTree(created.body()).path("id").asText();
        }
        // H2's file database under the data directory (H2 2.x names its files *.mv.db).
        assertThat(Files.list(dataDir)).anyMatch(file -> file.getFileName().toString().startsWith("ntx-fhir")
                && file.getFileName().toString().endsWith(".mv.db"));

        try (ServerProcess second = ServerProcess.start(defaults)) {
            // The second start installs the package over the existing one: clean too.
            assertStartedClean(second.log());
            assertThat(getJson(second, "/fhir/Patient/" + patientId).path("name").path(0).path("family").asText())
                    .isEqualTo("FirstRun");
            assertEveryShippedValueSetExpands(second);
        }
    }

    /** No ERROR line, and the package installed (value sets expanded) before the web server opened its port. */
    private static void assertStartedClean(String log) {
        List<String> lines = log.lines().toList();
        assertThat(lines).filteredOn(line -> line.matches("^\\S+\\s+ERROR\\s.*")).isEmpty();
        int installed = indexOf(lines, "Installed FHIR package");
        int portOpen = indexOf(lines, "Tomcat started on port");
        assertThat(installed).as("package installed").isNotNegative();
        assertThat(portOpen).as("port opened").isGreaterThan(installed);
        assertThat(lines.get(installed)).contains("value sets expand");
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private void assertEveryShippedValueSetExpands(ServerProcess server) throws Exception {
        Map<String, Set<String>> shipped = NaltrexonePackage.fromClasspath().valueSetCodes();
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(14);
        for (Map.Entry<String, Set<String>> valueSet : shipped.entrySet()) {
            JsonNode expansion = getJson(server, "/fhir/ValueSet/$expand?url="
                    + URLEncoder.encode(valueSet.getKey(), StandardCharsets.UTF_8));
            Set<String> codes = new TreeSet<>();
            expansion.path("expansion").path("contains")
                    .forEach(c -> codes.add(c.path("system").asText() + "|" + c.path("code").asText()));
            assertThat(codes).as(valueSet.getKey()).isEqualTo(new TreeSet<>(valueSet.getValue()));
        }
    }

    private JsonNode getJson(ServerProcess server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
