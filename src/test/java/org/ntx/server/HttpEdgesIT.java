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
import java.util.List;

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

    /**
     * A chunked transaction (no Content-Length) is limited while it streams: one byte over
     * ntx.limits.max-transaction-size (128MB) is refused with 413 and an OperationOutcome, and nothing in it is stored.
     * The body is generated as it is sent, so neither side of the test holds it whole.
     */
    @Test
    void refusesAChunkedTransactionOverTheTransactionLimitAndStoresNothing() throws Exception {
        String marker = "chunked-over-" + java.util.UUID.randomUUID();
        long limit = 128L * 1024 * 1024;
        HttpResponse<String> response = postChunked("/fhir", transactionWithBinaryOf(marker, limit + 1));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome").contains("too-long")
                .contains("larger than " + limit + " bytes");
        assertThat(patientsWith(marker)).isZero();
    }

    @Test
    void acceptsAChunkedTransactionOverTheRequestLimitAndWithinTheTransactionLimit() throws Exception {
        String marker = "chunked-under-" + java.util.UUID.randomUUID();
        HttpResponse<String> response = postChunked("/fhir", transactionWithBinaryOf(marker, 24L * 1024 * 1024));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"201 Created\"");
        assertThat(patientsWith(marker)).isEqualTo(1);
    }

    /** The checks other bodies get in the filters apply to a streamed transaction too, before anything is stored. */
    @Test
    void aChunkedTransactionKeepsTheNumberRangeAndEncodingChecks() throws Exception {
        String marker = "chunked-bad-" + java.util.UUID.randomUUID();
        String outOfRange = transaction(marker, "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"},\"valueQuantity\":{\"value\":1e99999999}}");
        HttpResponse<String> number = postChunked("/fhir", () -> new ByteArrayInputStream(utf8(outOfRange)));
        assertThat(number.statusCode()).isEqualTo(400);
        assertThat(number.body()).contains("OperationOutcome").contains("out of range");

        byte[] notUtf8 = utf8(transaction(marker, "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"Zo#\"}}"));
        for (int i = 0; i < notUtf8.length; i++) {
            if (notUtf8[i] == '#') {
                notUtf8[i] = (byte) 0xC3;
            }
        }
        HttpResponse<String> encoding = postChunked("/fhir", () -> new ByteArrayInputStream(notUtf8));
        assertThat(encoding.statusCode()).isEqualTo(400);
        assertThat(encoding.body()).contains("OperationOutcome").contains("not valid UTF-8");

        String duplicate = transaction(marker, "{\"resourceType\":\"Basic\",\"code\":{\"text\":\"a\"},"
                + "\"code\":{\"text\":\"b\"}}");
        HttpResponse<String> twice = postChunked("/fhir", () -> new ByteArrayInputStream(utf8(duplicate)));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("OperationOutcome").contains("same element twice");
        assertThat(patientsWith(marker)).isZero();
    }

    /** A transaction: a Patient carrying {@code marker}, then {@code more} resource. */
    private static String transaction(String marker, String more) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:ntx:test\",\"value\":\""
                + marker + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":" + more
                + ",\"request\":{\"method\":\"POST\",\"url\":\""
                + more.replaceFirst(".*?\"resourceType\":\"(\\w+)\".*", "$1") + "\"}}]}";
    }

    /** A transaction of a marked Patient and a Binary, {@code size} bytes long in all, generated as it is read. */
    private static java.util.function.Supplier<java.io.InputStream> transactionWithBinaryOf(String marker, long size) {
        String[] parts = transaction(marker, "{\"resourceType\":\"Binary\",\"contentType\":"
                + "\"application/octet-stream\",\"data\":\"@\"}").split("@");
        byte[] head = utf8(parts[0]);
        byte[] tail = utf8(parts[1]);
        long data = (size - head.length - tail.length) / 4 * 4;
        long pad = size - head.length - tail.length - data; // JSON whitespace to make up the exact size
        return () -> new java.io.SequenceInputStream(java.util.Collections.enumeration(List.of(
                new ByteArrayInputStream(head), repeated((byte) 'A', data), new ByteArrayInputStream(tail),
                repeated((byte) ' ', pad))));
    }

    private static java.io.InputStream repeated(byte value, long count) {
        return new java.io.InputStream() {
            long left = count;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                left--;
                return value;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, value);
                left -= n;
                return n;
            }
        };
    }

    private HttpResponse<String> postChunked(String path, java.util.function.Supplier<java.io.InputStream> body)
            throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int patientsWith(String marker) throws Exception {
        HttpResponse<String> search = http.send(HttpRequest.newBuilder(
                        uri("/fhir/Patient?identifier=urn:ntx:test%7C" + marker + "&_summary=count")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).isEqualTo(200);
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("\"total\"\\s*:\\s*(\\d+)")
                .matcher(search.body());
        assertThat(total.find()).as(search.body()).isTrue();
        return Integer.parseInt(total.group(1));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
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
