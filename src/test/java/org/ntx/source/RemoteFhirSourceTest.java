package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the CDS client's FHIR server: what it sends is read, unless reading it would exhaust memory; the lent token
 * goes to that server's origin only (no redirects, no paging links elsewhere).
 */
class RemoteFhirSourceTest {

    private static final String BUNDLE = """
            {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": {"resourceType": "Observation",
              "id": "alt", "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
              "valueQuantity": {"value": %s, "unit": "U/L"}}}]}
            """;

    private HttpServer server;
    /** Another origin (another port on loopback): it must never see the lent token. */
    private HttpServer elsewhere;
    private final List<String> tokensSeenElsewhere = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String value = "45.10";
    /** What the FHIR server answers a search with: a plain bundle, a redirect, or a bundle with a next link. */
    private volatile String mode = "plain";

    @BeforeEach
    void start() throws IOException {
        elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        elsewhere.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            tokensSeenElsewhere.add(authorization == null ? "(none)" : authorization);
            byte[] body = BUNDLE.formatted(value).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        elsewhere.start();
        String other = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/fhir";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fhir", exchange -> {
            boolean metadata = exchange.getRequestURI().getPath().endsWith("/metadata");
            if (!metadata && mode.equals("redirect")) {
                exchange.getResponseHeaders().add("Location", other + "/Observation?patient=p1");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            String bundle = mode.equals("next elsewhere") ? BUNDLE.formatted(value).replaceFirst("\\{",
                    "{\"link\": [{\"relation\": \"next\", \"url\": \"" + other + "?page=2\"}], ")
                    : BUNDLE.formatted(value);
            byte[] body = (metadata
                    ? "{\"resourceType\": \"CapabilityStatement\", \"status\": \"active\", \"fhirVersion\": \"4.0.1\","
                    + " \"kind\": \"instance\", \"format\": [\"json\"]}"
                    : bundle).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        elsewhere.stop(0);
    }

    @Test
    void neverFollowsARedirectWithTheLentToken() {
        mode = "redirect";
        assertThatThrownBy(() -> source(Optional.of(new AccessToken("lent-token"))).search("Observation?patient=p1"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class);
        assertThat(tokensSeenElsewhere).isEmpty();
    }

    @Test
    void neverFollowsAPagingLinkToAnotherOrigin() {
        mode = "next elsewhere";

        assertThatThrownBy(() -> source(Optional.of(new AccessToken("lent-token"))).search("Observation?patient=p1"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class)
                .hasMessageContaining("paging link to another server");
        assertThat(tokensSeenElsewhere).isEmpty();
    }

    @Test
    void readsWhatTheServerSends() {
        List<Resource> resources = source().search("Observation?patient=p1");

        assertThat(((Observation) resources.get(0)).getValueQuantity().getValueElement().getValueAsString())
                .isEqualTo("45.10");
    }

    /** Unguarded, HAPI's parser writes this number out in full; the time-out makes a regression fail, not hang. */
    @Timeout(60)
    @Test
    void reportsDataUnavailableForANumberThatWouldBeExpandedToGigabytes() {
        value = "1e999999999";

        assertThatThrownBy(() -> source().search("Observation?patient=p1"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class)
                .hasMessage("The CDS client's FHIR server sent a number out of range");
    }

    private RemoteFhirSource source() {
        return source(Optional.empty());
    }

    private RemoteFhirSource source(Optional<AccessToken> token) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
        return new RemoteFhirSource(FhirContext.forR4Cached(), base, token, 5);
    }
}
