package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the CDS client's FHIR server: what it sends is read, unless reading it would exhaust memory; the lent token
 * goes to that server's origin only (no redirects, no paging links elsewhere); searches overlap within their bounds;
 * and nothing is waited for past the call's deadline, a stalled or dripping answer included.
 */
class RemoteFhirSourceTest {

    private static final String ALT = """
            {"resourceType": "Observation", "id": "%s", "status": "final",
             "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
             "valueQuantity": {"value": %s, "unit": "U/L"}}""";

    private final FhirContext fhirContext = FhirContext.forR4Cached();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private LoopbackFhirServer server(LoopbackFhirServer.Answer answer) throws IOException {
        LoopbackFhirServer server = new LoopbackFhirServer(answer);
        closing.add(server);
        return server;
    }

    private RemoteFhirSource source(RemoteFhirClient client, String base, Optional<AccessToken> token,
                                    Duration budget) {
        RemoteFhirSource source = client.open(base, token, CallDeadline.after(budget), 5);
        closing.add(source);
        return source;
    }

    private RemoteFhirSource source(String base) {
        return source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()), base, Optional.empty(),
                Duration.ofSeconds(30));
    }

    @Test
    void readsWhatTheServerSends() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                LoopbackFhirServer.searchset(null, ALT.formatted("alt", "45.10"))));

        List<Resource> resources = source(server.base()).search("Observation?patient=p1");

        assertThat(((Observation) resources.get(0)).getValueQuantity().getValueElement().getValueAsString())
                .isEqualTo("45.10");
    }

    /** Unguarded, HAPI's parser writes this number out in full; the time-out makes a regression fail, not hang. */
    @Timeout(60)
    @Test
    void reportsDataUnavailableForANumberThatWouldBeExpandedToGigabytes() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                LoopbackFhirServer.searchset(null, ALT.formatted("alt", "1e999999999"))));

        assertThatThrownBy(() -> source(server.base()).search("Observation?patient=p1"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class)
                .hasMessage("The CDS client's FHIR server sent a number out of range");
    }

    @Test
    void followsEveryPageOnTheSameServerWithTheLentToken() throws Exception {
        LoopbackFhirServer[] self = new LoopbackFhirServer[1];
        self[0] = server(x -> LoopbackFhirServer.json(x, x.getRequestURI().getQuery().contains("page=2")
                ? LoopbackFhirServer.searchset(null, ALT.formatted("b", "20"))
                : LoopbackFhirServer.searchset(self[0].base() + "/Observation?page=2", ALT.formatted("a", "10"))));
        RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()),
                self[0].base(), Optional.of(new AccessToken("lent-token")), Duration.ofSeconds(30));

        List<Resource> resources = source.search("Observation?patient=p1");

        assertThat(resources).extracting(r -> r.getIdElement().getIdPart()).containsExactly("a", "b");
        assertThat(self[0].authorizations()).containsOnly("Bearer lent-token");
    }

    @Test
    void neverFollowsARedirectWithTheLentToken() throws Exception {
        LoopbackFhirServer elsewhere = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null)));
        LoopbackFhirServer server = server(x -> {
            x.getResponseHeaders().add("Location", elsewhere.base() + "/Observation?patient=p1");
            x.sendResponseHeaders(302, -1);
        });
        RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()),
                server.base(), Optional.of(new AccessToken("lent-token")), Duration.ofSeconds(30));

        assertThatThrownBy(() -> source.search("Observation?patient=p1"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class);
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void neverFollowsAPagingLinkToAnotherOrigin() throws Exception {
        LoopbackFhirServer elsewhere = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null)));
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(
                elsewhere.base() + "/Observation?page=2", ALT.formatted("a", "10"))));
        RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()),
                server.base(), Optional.of(new AccessToken("lent-token")), Duration.ofSeconds(30));

        RemoteSearch search = source.startSearch("Observation?patient=p1");

        assertThatThrownBy(() -> source.await(search.done(), "labs"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class)
                .hasMessageContaining("link to another server");
        assertThat(search.matches()).hasSize(1); // what came from the FHIR server itself is kept
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void neverSendsTheTokenToAPrefetchLinkOnAnotherOrigin() throws Exception {
        LoopbackFhirServer elsewhere = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null)));
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null)));
        RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()),
                server.base(), Optional.of(new AccessToken("lent-token")), Duration.ofSeconds(30));

        RemoteSearch search = source.continueSearch(elsewhere.base() + "/Observation?page=2", "Observation");

        assertThatThrownBy(() -> source.await(search.done(), "labs"))
                .isInstanceOf(FhirDataSource.DataUnavailableException.class);
        assertThat(elsewhere.requests()).isEmpty();
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void independentSearchesAreInFlightTogether() throws Exception {
        CountDownLatch allArrived = new CountDownLatch(4);
        LoopbackFhirServer server = server(x -> {
            allArrived.countDown();
            // Each answer waits until all four requests are in: only requests sent together can all be answered.
            allArrived.await(20, TimeUnit.SECONDS);
            LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null));
        });
        RemoteFhirSource source = source(server.base());

        List<RemoteSearch> searches = new ArrayList<>();
        for (String type : List.of("MedicationRequest", "MedicationAdministration", "Observation", "Condition")) {
            searches.add(source.startSearch(type + "?patient=p1"));
        }
        for (RemoteSearch search : searches) {
            source.await(search.done(), "search");
        }

        assertThat(server.mostInFlight()).isEqualTo(4);
    }

    @Test
    void neverHasMoreInFlightToOneServerThanItsBoundAcrossCalls() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LoopbackFhirServer server = server(x -> {
            release.await(20, TimeUnit.SECONDS);
            LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null));
        });
        RemoteFhirProperties bounded = new RemoteFhirProperties(8, 2, 64, 256, 2, Duration.ofSeconds(2), 100,
                Duration.ofHours(1));
        RemoteFhirClient client = new RemoteFhirClient(fhirContext, bounded);
        List<RemoteFhirSource> calls = new ArrayList<>();
        List<RemoteSearch> searches = new ArrayList<>();
        for (int call = 0; call < 3; call++) {
            RemoteFhirSource source = source(client, server.base(), Optional.empty(), Duration.ofSeconds(30));
            calls.add(source);
            searches.add(source.startSearch("Condition?patient=p" + call));
            searches.add(source.startSearch("Observation?patient=p" + call));
        }
        awaitInFlight(server, 2);
        release.countDown();
        for (int i = 0; i < searches.size(); i++) {
            calls.get(i / 2).await(searches.get(i).done(), "search");
        }

        assertThat(server.requests()).hasSize(6);
        assertThat(server.mostInFlight()).isEqualTo(2);
    }

    @Test
    void refusesAtOnceWhenTooManyRequestsAreWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LoopbackFhirServer server = server(x -> {
            release.await(20, TimeUnit.SECONDS);
            LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null));
        });
        RemoteFhirProperties noQueue = new RemoteFhirProperties(8, 1, 64, 0, 2, Duration.ofSeconds(2), 100,
                Duration.ofHours(1));
        RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, noQueue), server.base(), Optional.empty(),
                Duration.ofSeconds(30));
        RemoteSearch first = source.startSearch("Condition?patient=p1");
        awaitInFlight(server, 1);

        RemoteSearch second = source.startSearch("Observation?patient=p1");

        assertThatThrownBy(() -> source.await(second.done(), "labs"))
                .isInstanceOfSatisfying(FhirDataSource.DataUnavailableException.class,
                        e -> assertThat(e.late()).isFalse())
                .hasMessageContaining("Too many requests");
        release.countDown();
        source.await(first.done(), "conditions");
    }

    @Test
    void aStalledServerIsNotWaitedForPastTheDeadlineAndItsRequestIsAborted() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String base = "http://127.0.0.1:" + stalled.getLocalPort() + "/fhir";
            RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()), base,
                    Optional.empty(), Duration.ofMillis(300));

            RemoteSearch search = source.startSearch("Observation?patient=p1");
            try (Socket connection = stalled.accept()) {
                assertThatThrownBy(() -> source.await(search.done(), "labs"))
                        .isInstanceOfSatisfying(FhirDataSource.DataUnavailableException.class,
                                e -> assertThat(e.late()).isTrue());
                source.close();
                // The request is aborted, not left holding a connection: the server sees the connection end.
                connection.setSoTimeout(20_000);
                assertThat(drain(connection.getInputStream())).isTrue();
            }
        }
    }

    @Test
    void aResponseThatDripsInCountsAgainstTheDeadline() throws Exception {
        try (ServerSocket dripping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String base = "http://127.0.0.1:" + dripping.getLocalPort() + "/fhir";
            RemoteFhirSource source = source(new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()), base,
                    Optional.empty(), Duration.ofMillis(500));
            RemoteSearch search = source.startSearch("Observation?patient=p1");
            try (Socket connection = dripping.accept()) {
                Thread drip = new Thread(() -> drip(connection));
                drip.setDaemon(true);
                drip.start();

                assertThatThrownBy(() -> source.await(search.done(), "labs"))
                        .isInstanceOfSatisfying(FhirDataSource.DataUnavailableException.class,
                                e -> assertThat(e.late()).isTrue());
                drip.interrupt();
            }
        }
    }

    /** Headers at once, then one byte of a long body every 100 ms: never finished. */
    private static void drip(Socket connection) {
        try {
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 10_000 && !Thread.currentThread().isInterrupted(); i++) {
                Thread.sleep(100);
                out.write(' ');
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client aborted, as it should
        }
    }

    /** Reads the request and what follows until the client closes the connection: true when it did. */
    private static boolean drain(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // the request, then nothing until the client gives up
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the client
        }
    }

    private static void awaitInFlight(LoopbackFhirServer server, int count) throws InterruptedException {
        for (int i = 0; i < 400 && server.inFlight() < count; i++) {
            Thread.sleep(50);
        }
        assertThat(server.inFlight()).isEqualTo(count);
    }
}
