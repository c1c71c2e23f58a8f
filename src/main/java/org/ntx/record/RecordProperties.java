package org.ntx.record;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How patients' records are read. The names stay under {@code ntx.cds.*}, where sites have set them since the CDS
 * services were the only readers.
 *
 * @param maxPagesPerSearch  how many result pages we follow on a client's FHIR server before giving up (and saying so)
 * @param reuseStoredRecords reuse a patient's record read from this server's store while its change counters prove
 *                           it current ({@link StoredRecordCache}); off only to measure the full read
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record RecordProperties(
        @DefaultValue("20") @Min(1) int maxPagesPerSearch,
        @DefaultValue("true") boolean reuseStoredRecords) {}
