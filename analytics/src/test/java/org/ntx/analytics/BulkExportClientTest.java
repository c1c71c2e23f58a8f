package org.ntx.analytics;

import com.sun.net.httpserver.HttpServer;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Bulk Data status poll and download against a small server on loopback that answers as HAPI's $export does. */
class BulkExportClientTest {

    @TempDir
    Path work;

    HttpServer server;
    final AtomicInteger polls = new AtomicInteger();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/fhir/$export-poll-status", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (polls.incrementAndGet() < 3) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.getResponseHeaders().add("X-Progress", "in progress");
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
                return;
            }
            respond(exchange, 200, "{\"transactionTime\":\"2026-11-01T00:00:00Z\",\"request\":\"" + base
                    + "/fhir/Patient/$export\",\"requiresAccessToken\":true,\"output\":["
                    + "{\"type\":\"Patient\",\"url\":\"" + base + "/fhir/Binary/p1\"},"
                    + "{\"type\":\"MedicationAdministration\",\"url\":\"" + base + "/fhir/Binary/m1\"},"
                    + "{\"type\":\"MedicationAdministration\",\"url\":\"" + base + "/fhir/Binary/m2\"}],\"error\":[]}");
        });
        server.createContext("/fhir/Binary/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String id = exchange.getRequestURI().getPath().replaceAll(".*/", "");
            respond(exchange, 200, "{\"resourceType\":\"X\",\"id\":\"" + id + "\"}\n");
        });
        server.createContext("/fhir/gone", exchange -> respond(exchange, 404,
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"not-found\","
                        + "\"diagnostics\":\"Unknown job\"}]}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void pollsUntilTheManifestThenDownloadsEveryFileWithTheToken() throws Exception {
        HadoopFiles target = new HadoopFiles(new Configuration(), work.resolve("export").toString());
        Map<String, Integer> files = new BulkExportClient(Optional.of("secret-token"), Duration.ofSeconds(30),
                Duration.ofMillis(100)).download(URI.create(base + "/fhir/$export-poll-status?_jobId=1"), target);
        assertEquals(Map.of("Patient", 1, "MedicationAdministration", 2), files);
        assertEquals(3, polls.get());
        assertTrue(authorizations.stream().allMatch("Bearer secret-token"::equals), authorizations.toString());
        assertEquals(6, authorizations.size(), "three polls and three downloads");
        assertEquals("{\"resourceType\":\"X\",\"id\":\"m2\"}\n",
                Files.readString(work.resolve("export/MedicationAdministration.002.ndjson")));
        assertTrue(Files.exists(work.resolve("export/Patient.001.ndjson")));
    }

    @Test
    void anErrorFromTheStatusUrlNamesTheServersDiagnostics() {
        HadoopFiles target = new HadoopFiles(new Configuration(), work.resolve("export").toString());
        IOException e = assertThrows(IOException.class, () -> new BulkExportClient(Optional.empty(),
                Duration.ofSeconds(5), Duration.ofMillis(100)).download(URI.create(base + "/fhir/gone"), target));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("Unknown job"), e.getMessage());
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
