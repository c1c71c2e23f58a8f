package org.ntx.cds;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CDS Hooks transport settings ({@code ntx.cds.*}).
 *
 * @param maxPagesPerSearch how many result pages we follow on a client's FHIR server before giving up (and saying so)
 * @param rejectOpioidOrdersDuringBlockade refuse (422) an opioid MedicationRequest POSTed while the blockade is
 *                          active, instead of storing it with a warning
 * @param reuseStoredRecords reuse a patient's record read from this server's store while its change counters prove
 *                          it current ({@link StoredRecordCache}); off only to measure the full read
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record CdsProperties(
        @DefaultValue("20") @Min(1) int maxPagesPerSearch,
        @DefaultValue("false") boolean rejectOpioidOrdersDuringBlockade,
        @DefaultValue("true") boolean reuseStoredRecords) {}
