package org.ntx.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads a Synthea output folder ({@code output/fhir/}, written with {@code exporter.fhir.transaction_bundle=true})
 * into a running server through its FHIR API, one transaction Bundle per file, in the order the references need: the
 * hospital and practitioner bundles first (patients' bundles point at them with conditional references such as
 * {@code Organization?identifier=...}), then every patient. Each file is streamed from disk as the request body.
 * A progress line per file says what was loaded or why it was refused; a file the server refuses is reported and the
 * load goes on (a transaction is all or nothing, so nothing of a refused file is stored).
 */
public final class SyntheaLoader {

    /** What one file did. */
    public record FileResult(String file, boolean loaded, int resources, int profileWarnings, String refusal) {}

    /** What the whole folder did. */
    public record Report(List<FileResult> files) {

        public List<FileResult> loaded() {
            return files.stream().filter(FileResult::loaded).toList();
        }

        public List<FileResult> refused() {
            return files.stream().filter(f -> !f.loaded()).toList();
        }

        public int resources() {
            return loaded().stream().mapToInt(FileResult::resources).sum();
        }
    }

    private final String base;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    public SyntheaLoader(String base, PrintStream progress) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.progress = progress;
    }

    public Report load(Path folder) {
        List<Path> files = inLoadOrder(folder);
        List<FileResult> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            FileResult result = send(files.get(i));
            results.add(result);
            progress.printf("[%d/%d] %s: %s%n", i + 1, files.size(), result.file(), result.loaded()
                    ? "loaded, " + result.resources() + " resources" + (result.profileWarnings() == 0 ? ""
                    : " (" + result.profileWarnings() + " claim profiles this server does not know: stored,"
                    + " not validated against them)")
                    : "REFUSED: " + result.refusal());
        }
        Report report = new Report(results);
        progress.printf("Loaded %d of %d files (%d resources); refused %d%n", report.loaded().size(), files.size(),
                report.resources(), report.refused().size());
        report.refused().forEach(f -> progress.printf("  refused %s: %s%n", f.file(), f.refusal()));
        return report;
    }

    /** Hospitals, then practitioners, then everything else (the patients), each group by file name. */
    static List<Path> inLoadOrder(Path folder) {
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted(Comparator.comparingInt(SyntheaLoader::group)
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
    }

    private static int group(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("hospitalInformation") ? 0 : name.startsWith("practitionerInformation") ? 1 : 2;
    }

    private FileResult send(Path file) {
        String name = file.getFileName().toString();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = readJson(response.body());
            if (response.statusCode() / 100 != 2) {
                return new FileResult(name, false, 0, 0, "HTTP " + response.statusCode() + ": " + reason(body));
            }
            int resources = 0;
            int warnings = 0;
            for (JsonNode entry : body.path("entry")) {
                resources++;
                for (JsonNode issue : entry.path("response").path("outcome").path("issue")) {
                    if ("warning".equals(issue.path("severity").asText())) {
                        warnings++;
                    }
                }
            }
            return new FileResult(name, true, resources, warnings, null);
        } catch (IOException e) {
            return new FileResult(name, false, 0, 0, "not sent: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FileResult(name, false, 0, 0, "interrupted");
        }
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** The server's own words: the OperationOutcome's first error, or the first issue. */
    private static String reason(JsonNode outcome) {
        for (JsonNode issue : outcome.path("issue")) {
            if ("error".equals(issue.path("severity").asText()) || "fatal".equals(issue.path("severity").asText())) {
                return issue.path("diagnostics").asText("(no diagnostics)");
            }
        }
        JsonNode first = outcome.path("issue").path(0);
        return first.isMissingNode() ? "(no OperationOutcome)" : first.path("diagnostics").asText("(no diagnostics)");
    }
}
