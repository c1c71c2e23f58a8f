package org.ntx.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Raw HTTP against the test server on loopback, with or without a Bearer token. */
final class TestHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    TestHttp(int port) {
        this.port = port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url(path)));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    HttpResponse<String> get(String path, String token) {
        return send(request(path, token).header("Accept", "application/fhir+json").GET().build());
    }

    HttpResponse<String> postFhir(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> postJson(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
