package org.ntx.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A FHIR Bulk Data client for the second half of an export (Bulk Data Access IG, "Bulk Data Status Request"): polls
 * the status URL the kick-off returned until it answers 200 with a manifest, then downloads every {@code output} file
 * as {@code <Type>.<n>.ndjson}, which is what Pathling's ndjson reader takes. The bearer token is sent to the status
 * URL, and to the file URLs when the manifest says {@code requiresAccessToken}.
 */
final class BulkExportClient {

    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]+");

    private final HttpClient http;
    private final Optional<String> token;
    private final Duration timeout;
    private final Duration firstWait;
    private final ObjectMapper json = new ObjectMapper();

    BulkExportClient(Optional<String> token, Duration timeout, Duration firstWait) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        this.token = token;
        this.timeout = timeout;
        this.firstWait = firstWait;
    }

    /** Polls, then downloads; returns the number of files per resource type. */
    Map<String, Integer> download(URI statusUrl, HadoopFiles target) throws IOException, InterruptedException {
        JsonNode manifest = awaitManifest(statusUrl);
        boolean needsToken = manifest.path("requiresAccessToken").asBoolean(false);
        Map<String, Integer> files = new LinkedHashMap<>();
        for (JsonNode output : manifest.path("output")) {
            String type = output.path("type").asText();
            if (!RESOURCE_TYPE.matcher(type).matches()) {
                throw new IOException("export manifest names an unexpected resource type: " + type);
            }
            URI url = statusUrl.resolve(output.path("url").asText());
            int n = files.merge(type, 1, Integer::sum);
            HttpResponse<InputStream> response = http.send(request(url, needsToken, "application/fhir+ndjson"),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("export file " + url + " answered HTTP " + response.statusCode());
                }
                target.copy(String.format("%s.%03d.ndjson", type, n), body);
            }
        }
        if (manifest.path("error").size() > 0) {
            System.err.println("analytics: the export reported " + manifest.path("error").size()
                    + " error file(s) (OperationOutcome); they are not read");
        }
        return files;
    }

    private JsonNode awaitManifest(URI statusUrl) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Duration wait = firstWait;
        while (true) {
            HttpResponse<String> response = http.send(request(statusUrl, true, "application/json"),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200) {
                return json.readTree(response.body());
            }
            if (status != 202) {
                throw new IOException("export status " + statusUrl + " answered HTTP " + status + ": "
                        + diagnostics(response.body()));
            }
            if (Instant.now().plus(wait).isAfter(deadline)) {
                throw new IOException("export not complete after " + timeout.toSeconds() + " s: " + statusUrl);
            }
            Thread.sleep(retryAfter(response).orElse(wait).toMillis());
            wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60)
                    : wait.multipliedBy(2);
        }
    }

    private HttpRequest request(URI url, boolean withToken, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().header("Accept", accept)
                .timeout(Duration.ofMinutes(10));
        if (withToken) {
            token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        }
        return request.build();
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                long seconds = Long.parseLong(value.trim());
                return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(seconds, 120))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private String diagnostics(String body) {
        try {
            JsonNode outcome = json.readTree(body);
            StringBuilder text = new StringBuilder();
            for (JsonNode issue : outcome.path("issue")) {
                text.append(issue.path("diagnostics").asText(issue.path("details").path("text").asText())).append(' ');
            }
            return text.toString().strip();
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }
}
