package org.ntx.reliability;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ntx.support.CdsCalls;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.RestartablePostgres;
import org.ntx.support.RunningServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * PostgreSQL stops while a client keeps writing, and comes back 30 seconds later. Nothing acknowledged is lost; during
 * the outage FHIR answers 503 with an OperationOutcome, health says DOWN, and a CDS call says the data is unavailable
 * instead of giving an all-clear; afterwards the same server process carries on.
 */
class DatabaseOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void losesNoAcknowledgedWriteAndRecoversWithoutARestart() throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start();
             RunningServer server = RunningServer.start(Map.copyOf(postgres.springProperties()))) {
            String base = "http://127.0.0.1:" + server.port();
            IGenericClient fhir = server.fhirClient();
            String patientId = ((IdType) fhir.create().resource(new Patient()).execute().getId()).getIdPart();
            ClinicalFixtures story = new ClinicalFixtures(patientId, Instant.now());
            fhir.create().resource(story.injectionDaysAgo(9)).execute();
            CdsCalls cds = new CdsCalls(server.fhirContext(), base);

            try (Writer writer = new Writer(base)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.acknowledged.size() >= 10);
                assertThat(health(base).statusCode()).isEqualTo(200);

                postgres.stop();
                Instant stopped = Instant.now();

                await().atMost(Duration.ofSeconds(25)).until(() -> health(base).statusCode() == 503);
                // Anonymous: the status only, never the exception that says why.
                assertThat(health(base).body()).contains("DOWN").doesNotContain("Exception").doesNotContain("\"db\"");

                HttpResponse<String> read = get(base + "/fhir/Patient/" + patientId);
                assertThat(read.statusCode()).isEqualTo(503);
                assertThat(read.body()).contains("OperationOutcome").doesNotContain("\tat ").doesNotContain(".java:");
                assertThat(read.headers().firstValue("Retry-After")).isPresent();

                HttpResponse<String> check = cds.post("naltrexone-order-sign",
                        cds.orderSign(patientId, story.draft(OXYCODONE_10)));
                assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
                assertThat(CdsCalls.topics(check.body())).contains("data-unavailable");

                Thread.sleep(Math.max(0, Duration.between(Instant.now(), stopped.plus(OUTAGE)).toMillis()));
                int acknowledgedBeforeRecovery = writer.acknowledged.size();
                postgres.startAgain();

                await().atMost(Duration.ofSeconds(90)).until(() -> health(base).statusCode() == 200);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> writer.acknowledged.size() >= acknowledgedBeforeRecovery + 10);
                writer.stop();

                assertThat(writer.statuses).as("writes during the outage are refused with 503, never 500")
                        .isSubsetOf(Set.of(201, 503)).contains(503);
                for (String location : writer.acknowledged) {
                    assertThat(get(base + "/fhir/" + location).statusCode()).as(location).isEqualTo(200);
                }
            }

            HttpResponse<String> after = cds.post("naltrexone-order-sign",
                    cds.orderSign(patientId, story.draft(OXYCODONE_10)));
            assertThat(CdsCalls.topics(after.body())).contains("opioid-blockade-conflict")
                    .doesNotContain("data-unavailable");
        }
    }

    private HttpResponse<String> health(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One client creating small Patients back to back, remembering what the server acknowledged. */
    private final class Writer implements AutoCloseable {
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final Set<Integer> statuses = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(String base) {
            thread = new Thread(() -> {
                int sequence = 0;
                while (running.get()) {
                    String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:ntx:outage-test\","
                            + "\"value\":\"w-" + sequence++ + "\"}]}";
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/fhir/Patient"))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        statuses.add(response.statusCode());
                        if (response.statusCode() == 201) {
                            String location = response.headers().firstValue("Location").orElseThrow();
                            IdType id = new IdType(location);
                            acknowledged.add(id.getResourceType() + "/" + id.getIdPart());
                        }
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        statuses.add(-1); // no answer at all: the assertion on statuses reports it
                    }
                }
            }, "outage-writer");
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
