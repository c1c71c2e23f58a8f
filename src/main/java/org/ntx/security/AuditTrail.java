package org.ntx.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The audit trail: AuditEvents for FHIR interactions and CDS Hooks calls, stored in the server's own FHIR store by one
 * background thread so requests do not wait for the database.
 *
 * <p>The queue is bounded ({@code ntx.security.audit.queue-capacity}). When it is full, the request thread waits up
 * to {@code ntx.security.audit.enqueue-timeout} for room (a little latency rather than a lost record); if there is
 * still none, the record is dropped, counted in {@code ntx.audit.dropped}, and a WARN names only the kind of event.
 * Records that fail to store are counted in {@code ntx.audit.failed}. On shutdown the queue is drained for up to
 * 10 seconds.
 *
 * <p>For the CDS Hooks controller: call {@link #cdsCall(CdsAuditRecord)} once per service call, after the response
 * is known. It never throws and returns at once (unless the queue is full, see above).
 */
public class AuditTrail implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Duration DRAIN_ON_SHUTDOWN = Duration.ofSeconds(10);

    private final AuditStore store;
    private final boolean active;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    private final Counter stored;
    private final Counter dropped;
    private final Counter failed;

    /** Where audit records go: in production HAPI's AuditEvent DAO with a system request (so it is not audited). */
    @FunctionalInterface
    interface AuditStore {
        void store(AuditEvent event);
    }

    AuditTrail(AuditStore store, boolean active, AuditProperties properties, MeterRegistry meters, Clock clock) {
        this.store = store;
        this.active = active;
        this.clock = clock;
        this.stored = meters.counter("ntx.audit.stored");
        this.dropped = meters.counter("ntx.audit.dropped");
        this.failed = meters.counter("ntx.audit.failed");
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, runnable -> {
            Thread thread = new Thread(runnable, "ntx-audit-writer");
            thread.setDaemon(true);
            return thread;
        }, waitThenDrop(properties.enqueueTimeout()));
        Gauge.builder("ntx.audit.queue.size", queue, BlockingQueue::size).register(meters);
    }

    /** A trail that records nothing, for code run outside the server (tests, tools). */
    public static AuditTrail inactive() {
        return new AuditTrail(event -> { }, false, new AuditProperties(false, 1, Duration.ZERO, Duration.ofMinutes(1)),
                new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** Whether records are written at all ({@code ntx.security.audit.enabled}). */
    public boolean active() {
        return active;
    }

    /** Records one CDS Hooks service call. */
    public void cdsCall(CdsAuditRecord record) {
        if (active) {
            submit(AuditEvents.cdsCall(record, clock.instant()), "CDS call to " + record.serviceId());
        }
    }

    /** Records how many requests were refused for want of authentication in one interval. */
    void unauthenticated(AuditEvents.Refusals refusals) {
        if (active) {
            submit(AuditEvents.unauthenticated(refusals), "count of refused authentications");
        }
    }

    void fhirInteraction(FhirAuditRecord record) {
        if (active) {
            submit(AuditEvents.fhirInteraction(record), record.interaction().getCode());
        }
    }

    private void submit(AuditEvent event, String kind) {
        writer.execute(new Write(event, kind));
    }

    private final class Write implements Runnable {
        private final AuditEvent event;
        private final String kind;

        Write(AuditEvent event, String kind) {
            this.event = event;
            this.kind = kind;
        }

        @Override
        public void run() {
            try {
                store.store(event);
                stored.increment();
            } catch (RuntimeException e) {
                failed.increment();
                // The exception's message could quote resource content: its type only.
                log.error("Could not store the audit record of a {} ({})", kind, e.getClass().getSimpleName());
            }
        }
    }

    private RejectedExecutionHandler waitThenDrop(Duration timeout) {
        return (runnable, executor) -> {
            boolean queued = false;
            if (!executor.isShutdown()) {
                try {
                    queued = executor.getQueue().offer(runnable, timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!queued) {
                dropped.increment();
                long count = (long) dropped.count();
                if (count == 1 || count % 100 == 0) {
                    String kind = runnable instanceof Write write ? write.kind : "record";
                    log.warn("Audit queue full: dropped the audit record of a {} ({} dropped so far)", kind, count);
                }
            }
        };
    }

    /** Stops taking records and stores what is queued, for up to 10 seconds. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(DRAIN_ON_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
                int lost = writer.shutdownNow().size();
                log.warn("Shutdown: {} audit records were not stored", lost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
