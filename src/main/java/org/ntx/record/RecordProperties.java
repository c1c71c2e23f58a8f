package org.ntx.record;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How patients' records are read. The names stay under {@code ntx.cds.*}, where sites have set them since the CDS
 * services were the only readers.
 *
 * @param maxPagesPerSearch  how many result pages we follow on a client's FHIR server before giving up (and saying so)
 * @param reuseStoredRecords reuse a patient's record read from this server's store while its change counters prove
 *                           it current ({@link StoredRecordCache}); off only to measure the full read
 * @param callBudget         everything one call waits on for a client's FHIR server (every request, every page, a
 *                           response still dripping in) must arrive within this; what has not is cancelled and named
 *                           on a data-unavailable card. 3 s: well inside the 5-10 s EHRs give a CDS service.
 * @param labLookback        laboratory results older than this are not asked for; zero (the default) asks for every
 *                           date, because the liver rule reads the latest result of each test whatever its age, so a
 *                           window changes what it says about a patient whose last test is older
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record RecordProperties(
        @DefaultValue("20") @Min(1) int maxPagesPerSearch,
        @DefaultValue("true") boolean reuseStoredRecords,
        @DefaultValue("3s") Duration callBudget,
        @DefaultValue("0d") Duration labLookback) {

    /** The constructor Spring binds the settings to (the record has a shorter one too). */
    @ConstructorBinding
    public RecordProperties {
    }

    /** The default budget and look-back (tests). */
    public RecordProperties(int maxPagesPerSearch, boolean reuseStoredRecords) {
        this(maxPagesPerSearch, reuseStoredRecords, Duration.ofSeconds(3), Duration.ZERO);
    }
}
