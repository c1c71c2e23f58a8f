package org.ntx.security;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Requests refused for want of valid authentication (401), audited as a count rather than one record each: a client
 * without a token, or an attacker trying forged ones, would otherwise fill the audit trail as fast as it can send.
 * Each 401 is counted ({@code ntx_security_unauthenticated_total}, by area and reason); at most once per interval
 * ({@code ntx.security.audit.unauthenticated-interval}) one AuditEvent says how many were refused since the last, on
 * which part of the API, why (no token, or a token that failed its checks) and from which addresses (at most
 * {@value #MAX_ADDRESSES}). It never holds a token or any part of one.
 */
public class UnauthenticatedRequests implements AutoCloseable {

    static final int MAX_ADDRESSES = 20;

    private final AuditTrail trail;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ScheduledExecutorService flusher;

    private Instant since;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Set<String> addresses = new LinkedHashSet<>();
    private long moreAddresses;

    UnauthenticatedRequests(AuditTrail trail, MeterRegistry meters, Clock clock, Duration interval) {
        this.trail = trail;
        this.meters = meters;
        this.clock = clock;
        this.since = clock.instant();
        this.flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ntx-audit-unauthenticated");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        flusher.scheduleAtFixedRate(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Counts one refusal; {@code tokenPresented}: a token was sent but failed its checks. */
    void refused(HttpServletRequest request, boolean tokenPresented) {
        String area = area(request.getRequestURI());
        String reason = tokenPresented ? "invalid-token" : "no-token";
        meters.counter("ntx.security.unauthenticated", "area", area, "reason", reason).increment();
        synchronized (this) {
            counts.merge(area + " " + reason, 1L, Long::sum);
            String address = request.getRemoteAddr();
            if (address != null && !addresses.contains(address)) {
                if (addresses.size() < MAX_ADDRESSES) {
                    addresses.add(address);
                } else {
                    moreAddresses++;
                }
            }
        }
    }

    /** Writes the refusals counted since the last record as one AuditEvent (nothing when there were none). */
    void flush() {
        AuditEvents.Refusals refusals;
        synchronized (this) {
            Instant now = clock.instant();
            if (counts.isEmpty()) {
                since = now;
                return;
            }
            refusals = new AuditEvents.Refusals(since, now, Map.copyOf(counts), Set.copyOf(addresses), moreAddresses);
            counts.clear();
            addresses.clear();
            moreAddresses = 0;
            since = now;
        }
        trail.unauthenticated(refusals);
    }

    private static String area(String uri) {
        if (uri == null) {
            return "other";
        }
        for (String area : new String[] {"/fhir", "/cds-services", "/api", "/actuator"}) {
            if (uri.equals(area) || uri.startsWith(area + "/")) {
                return area.substring(1);
            }
        }
        return "other";
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }
}
