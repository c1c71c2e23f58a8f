package org.ntx.reliability;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent updates of one resource never lose an update silently: with {@code If-Match}, exactly one writer per
 * version wins and the others are told (409 or 412); without it, every acknowledged update is its own version in the
 * history. Eight writers released together, several rounds.
 */
@IntegrationTest
class ConcurrentUpdatesIT {

    private static final int WRITERS = 8;

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    final HttpClient http = HttpClient.newHttpClient();
    IGenericClient client;
    String patientId;

    @BeforeEach
    void seed() {
        client = FhirTestClient.forPort(fhirContext, port);
        patientId = ((IdType) client.create().resource(new Patient().setActive(true)).execute().getId()).getIdPart();
    }

    @Test
    void withIfMatchOneWriterPerVersionWinsAndTheOthersAreRefused() throws Exception {
        int wins = 0;
        for (int round = 0; round < 5; round++) {
            String tag = "round" + round;
            String version = client.read().resource(Patient.class).withId(patientId).execute().getIdElement()
                    .getVersionIdPart();
            List<Integer> statuses = race(writer -> update(tag + "-writer" + writer, "W/\"" + version + "\""));
            long succeeded = statuses.stream().filter(status -> status == 200).count();
            assertThat(succeeded).as("statuses %s", statuses).isEqualTo(1);
            assertThat(statuses).allMatch(status -> status == 200 || status == 409 || status == 412);
            wins += (int) succeeded;
        }
        Patient last = client.read().resource(Patient.class).withId(patientId).execute();
        assertThat(Integer.parseInt(last.getIdElement().getVersionIdPart())).isEqualTo(1 + wins);
    }

    @Test
    void withoutIfMatchEveryAcknowledgedUpdateIsAVersionInTheHistory() throws Exception {
        List<Integer> statuses = race(writer -> update("writer" + writer, null));
        long acknowledged = statuses.stream().filter(status -> status == 200).count();
        assertThat(statuses).as("a version clash may be refused, never answered 5xx")
                .allMatch(status -> status == 200 || status == 409 || status == 412);
        assertThat(acknowledged).isPositive();

        Bundle history = client.history().onInstance(new IdType("Patient", patientId)).returnBundle(Bundle.class)
                .count(100).execute();
        List<String> families = history.getEntry().stream()
                .map(entry -> ((Patient) entry.getResource()).getNameFirstRep().getFamily())
                .filter(family -> family != null).toList();
        assertThat(families).as("each acknowledged writer's name is in some version").hasSize((int) acknowledged);
        assertThat(history.getEntry()).hasSize(1 + (int) acknowledged);
    }

    /** Releases all writers at once and collects their HTTP statuses. */
    private List<Integer> race(Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int id = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return writer.write(id);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Writer {
        int write(int writer) throws Exception;
    }

    /**
     * Each writer's content is unique: HAPI answers an update identical to the current version with 200 and no new
     * version, which is right, but would look like a second winner here.
     */
    private int update(String writer, String ifMatch) throws Exception {
        String body = "{\"resourceType\":\"Patient\",\"id\":\"" + patientId + "\",\"active\":true,"
                + "\"name\":[{\"family\":\"" + writer + "\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/fhir/Patient/" + patientId))
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            assertThat(response.body()).as("a refusal explains itself").contains("OperationOutcome");
        }
        return response.statusCode();
    }
}
