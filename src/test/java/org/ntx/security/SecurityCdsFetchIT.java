package org.ntx.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a CDS call may make this server fetch: only the FHIR servers configured for the calling client
 * ({@code ntx.security.cds-clients[0].fhir-servers}); any other {@code fhirServer} (this server's own actuator, any
 * loopback port, any internal address) is refused with 403 and is never contacted, lent token or not.
 */
@SecuredIntegrationTest
class SecurityCdsFetchIT {

    static final String PATIENT_VIEW = "/cds-services/naltrexone-patient-view";

    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    final List<String> contacted = new CopyOnWriteArrayList<>();
    TestHttp http;
    HttpServer internal;

    @BeforeEach
    void start() throws IOException {
        http = new TestHttp(port);
        internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", exchange -> {
            contacted.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        internal.stop(0);
    }

    @Test
    void refusesEveryFhirServerNotConfiguredForTheClientAndContactsNone() throws Exception {
        String internalBase = "http://127.0.0.1:" + internal.getAddress().getPort();
        for (String fhirServer : List.of(internalBase + "/fhir", internalBase + "/actuator",
                "http://127.0.0.1:" + port + "/actuator", "http://127.0.0.1:" + port + "/fhir",
                SecuredIntegrationTest.ALLOWED_FHIR_SERVER + "/../admin", "http://127.0.0.1:9/fhir?x=1",
                "http://user@127.0.0.1:9/fhir", "http://localhost:9/fhir")) {
            HttpResponse<String> answer = call(fhirServer, "lent-" + UUID.randomUUID());
            assertThat(answer.statusCode()).as(fhirServer + ": " + answer.body()).isEqualTo(403);
            assertThat(json.readTree(answer.body()).get("message").asText()).contains("fhir-servers");
        }
        assertThat(contacted).isEmpty();
    }

    @Test
    void readsTheConfiguredFhirServer() throws Exception {
        HttpResponse<String> answer = call(SecuredIntegrationTest.ALLOWED_FHIR_SERVER, "lent-token");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        // Port 9 is closed: the read was attempted and failed, and the cards say the data is unavailable.
        assertThat(answer.body()).contains("data-unavailable");
    }

    @Test
    void refusesAWildcardContentTypeOnServiceAndFeedbackCalls() throws Exception {
        for (String path : List.of(PATIENT_VIEW, PATIENT_VIEW + "/feedback")) {
            HttpResponse<String> answer = http.send(http.request(path, TestTokens.sandboxCdsToken(http.url(path)))
                    .header("Content-Type", "*/*").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(answer.statusCode()).as(path).isEqualTo(415);
            assertThat(json.readTree(answer.body()).get("status").asInt()).isEqualTo(415);
        }
    }

    private HttpResponse<String> call(String fhirServer, String lentToken) {
        String body = """
                {"hook": "patient-view", "hookInstance": "%s", "fhirServer": "%s",
                 "fhirAuthorization": {"access_token": "%s", "token_type": "Bearer", "expires_in": 300,
                                       "scope": "patient/*.rs", "subject": "cds-service"},
                 "context": {"userId": "Practitioner/example", "patientId": "p-fetch"}}
                """.formatted(UUID.randomUUID(), fhirServer, lentToken);
        return http.postJson(PATIENT_VIEW, TestTokens.sandboxCdsToken(http.url(PATIENT_VIEW)), body);
    }
}
