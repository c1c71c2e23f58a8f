package org.ntx.server;

import org.junit.jupiter.api.Test;
import org.ntx.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What browsers and careless clients meet before any FHIR logic: CORS preflight and the request size limit. */
@IntegrationTest
class HttpEdgesIT {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersACorsPreflightFromAnAllowedOrigin() throws Exception {
        HttpResponse<String> response = http.send(preflight("/fhir/Patient", "https://sandbox.cds-hooks.org"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin"))
                .contains("https://sandbox.cds-hooks.org");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
    }

    @Test
    void refusesACorsPreflightFromAnUnknownOrigin() throws Exception {
        HttpResponse<String> response = http.send(preflight("/fhir/Patient", "https://evil.example.com"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void rejectsABodyOverTheSizeLimitWith413AndAnOperationOutcome() throws Exception {
        String huge = "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":\""
                + "x".repeat(11 * 1024 * 1024) + "\"}}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/fhir/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome").contains("too-long");
    }

    @Test
    void acceptsATransactionLargerThanTheLimitForOtherRequests() throws Exception {
        // 12 MB: over ntx.limits.max-request-size (10MB), within ntx.limits.max-transaction-size (128MB).
        String data = java.util.Base64.getEncoder().encodeToString(new byte[9 * 1024 * 1024]);
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Binary\",\"contentType\":\"application/octet-stream\",\"data\":\"" + data
                + "\"},\"request\":{\"method\":\"POST\",\"url\":\"Binary\"}}]}";
        assertThat(transaction.length()).isGreaterThan(11 * 1024 * 1024);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/fhir"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(transaction)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"201 Created\"");
    }

    @Test
    void rejectsAChunkedBodyOverTheSizeLimit() throws Exception {
        byte[] huge = ("{\"resourceType\":\"Patient\",\"id\":\"" + "y".repeat(11 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/fhir/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void acceptsAChunkedBodyUnderTheLimit() throws Exception {
        byte[] small = "{\"resourceType\":\"Patient\",\"active\":true}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/fhir/Patient"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
    }

    private HttpRequest preflight(String path, String origin) {
        return HttpRequest.newBuilder(uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
