package org.ntx.source;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * How CDS clients' FHIR servers are read: one pooled keep-alive HTTP client shared by every call, and bounds on how
 * much one call, one server and all calls together may have in flight, so that a flood of CDS calls, or one slow
 * server, cannot take every connection and thread from everyone else.
 *
 * @param maxInFlightPerCall   requests one call has in flight at once (its independent searches go out together)
 * @param maxInFlightPerServer requests in flight to one FHIR server (origin) across all calls; the rest wait. 32
 *                             lets four calls at once send their searches together (one call sends up to 8); at 16
 *                             the benchmark's four concurrent order-signs waited one extra round trip at 200 ms
 *                             (1.95x one read; 1.29x with a higher bound, bench/profiling.md)
 * @param maxInFlight          requests in flight to all FHIR servers together
 * @param maxWaiting           requests that may wait for a place under each limit; past that a request is refused at
 *                             once and its data reported unavailable (fail fast rather than queue without bound)
 * @param threads              threads that handle responses (parsing included); no request holds one while waiting
 * @param connectTimeout       time to open a connection (the call's own deadline still applies when it is shorter)
 * @param pageSize             the {@code _count} asked for: a typical record arrives in one page, and a record of
 *                             thousands of entries in a few
 * @param capabilitiesTtl      how long a server's CapabilityStatement (does it support {@code _include}?) is trusted
 */
@Validated
@ConfigurationProperties("ntx.cds.remote")
public record RemoteFhirProperties(
        @DefaultValue("8") @Min(1) int maxInFlightPerCall,
        @DefaultValue("32") @Min(1) int maxInFlightPerServer,
        @DefaultValue("64") @Min(1) int maxInFlight,
        @DefaultValue("256") @Min(0) int maxWaiting,
        @DefaultValue("4") @Min(1) int threads,
        @DefaultValue("2s") @DurationUnit(ChronoUnit.SECONDS) Duration connectTimeout,
        @DefaultValue("500") @Min(1) int pageSize,
        @DefaultValue("1h") Duration capabilitiesTtl) {

    /** The defaults, for tests and tools outside Spring. */
    public static RemoteFhirProperties defaults() {
        return new RemoteFhirProperties(8, 32, 64, 256, 4, Duration.ofSeconds(2), 500, Duration.ofHours(1));
    }
}
