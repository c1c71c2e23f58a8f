package org.ntx.cohort;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntx.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loading a real Synthea output folder (the tiny sample under src/test/resources/synthea/, generated once with
 * Synthea 3.3.0): hospitals and practitioners first, then the patients, with a progress line per file; a file the
 * server refuses is reported with the server's reason while the others load.
 */
@IntegrationTest
class SyntheaLoadIT {

    static final Path SAMPLE = Path.of("src", "test", "resources", "synthea", "sample");

    @LocalServerPort
    int port;

    @TempDir
    Path folder;

    @Test
    void loadsTheSampleInReferenceOrderAndReportsWhatItRefusedAndWhy() throws Exception {
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        // A file the server must refuse: a transaction whose one entry is not a FHIR resource.
        Files.writeString(folder.resolve("Broken_Patient.json"), "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
                + "\"entry\":[{\"resource\":{\"resourceType\":\"NotAResource\"},\"request\":{\"method\":\"POST\","
                + "\"url\":\"NotAResource\"}}]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyntheaLoader.Report report = new SyntheaLoader("http://127.0.0.1:" + port + "/fhir",
                new PrintStream(out, true, StandardCharsets.UTF_8)).load(folder);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines.get(0)).startsWith("[1/5] hospitalInformation").contains("loaded");
        assertThat(lines.get(1)).startsWith("[2/5] practitionerInformation").contains("loaded");
        assertThat(report.loaded()).hasSize(4);
        assertThat(report.refused()).singleElement().satisfies(refused -> {
            assertThat(refused.file()).isEqualTo("Broken_Patient.json");
            assertThat(refused.refusal()).startsWith("HTTP 400: ").contains("NotAResource");
        });
        assertThat(lines).anyMatch(l -> l.startsWith("Loaded 4 of 5 files (") && l.endsWith("refused 1"));
        // Synthea claims US Core profiles, which this server does not load: the loader says so.
        assertThat(report.loaded().stream().mapToInt(SyntheaLoader.FileResult::profileWarnings).sum()).isPositive();

        for (String family : List.of("Runolfsdottir785", "Glover433")) {
            HttpResponse<String> found = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/fhir/Patient?family=" + family)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(found.body()).path("entry").size()).as(family).isEqualTo(1);
        }
    }
}
