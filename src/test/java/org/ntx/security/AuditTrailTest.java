package org.ntx.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Audit records are written off the request thread; a full queue costs a short wait, then a counted drop. */
class AuditTrailTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<AuditEvent> stored = new CopyOnWriteArrayList<>();

    @Test
    void storesRecordsInTheBackground() {
        try (AuditTrail trail = trail(event -> stored.add(event), true, 10)) {
            trail.cdsCall(cdsRecord());
            await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 1);
        }
        assertThat(meters.counter("ntx.audit.stored").count()).isEqualTo(1);
    }

    @Test
    void waitsBrieflyThenDropsAndCountsWhenTheQueueIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (AuditTrail trail = trail(event -> {
            waitFor(release);
            stored.add(event);
        }, true, 1)) {
            trail.cdsCall(cdsRecord()); // taken by the writer, which blocks
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("ntx.audit.queue.size").gauge().value() == 0);
            trail.cdsCall(cdsRecord()); // waits in the queue
            long start = System.nanoTime();
            trail.cdsCall(cdsRecord()); // no room: waits the enqueue timeout, then is dropped
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
            assertThat(meters.counter("ntx.audit.dropped").count()).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> stored.size() == 2);
        }
    }

    @Test
    void countsRecordsThatFailToStore() {
        try (AuditTrail trail = trail(event -> {
            throw new IllegalStateException("database down");
        }, true, 10)) {
            trail.cdsCall(cdsRecord());
            await().atMost(Duration.ofSeconds(5)).until(() -> meters.counter("ntx.audit.failed").count() == 1);
        }
    }

    @Test
    void writesNothingWhenInactive() {
        try (AuditTrail trail = trail(event -> stored.add(event), false, 10)) {
            trail.cdsCall(cdsRecord());
        }
        assertThat(stored).isEmpty();
    }

    private AuditTrail trail(AuditTrail.AuditStore store, boolean active, int capacity) {
        return new AuditTrail(store, active, new AuditProperties(null, capacity, Duration.ofMillis(50), Duration.ofMinutes(1)), meters,
                Clock.systemUTC());
    }

    private static CdsAuditRecord cdsRecord() {
        return new CdsAuditRecord("naltrexone-order-check", "order-sign", "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                "https://sandbox.cds-hooks.org", "Practitioner/example", "1288992", 1, List.of("opioid-blockade"),
                200);
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
