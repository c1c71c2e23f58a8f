package org.ntx.cds;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CDS Hooks transport settings ({@code ntx.cds.*}). How records are read (paging, reuse) is
 * {@code record.RecordProperties}, under the same prefix.
 *
 * @param cardSourceUrl     the {@code source.url} on every card: where a clinician reads about this service
 * @param rejectOpioidOrdersDuringBlockade refuse (422) an opioid MedicationRequest POSTed while the blockade is
 *                          active, instead of storing it with a warning
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record CdsProperties(
        @DefaultValue("https://ntx.example.org/fhir") String cardSourceUrl,
        @DefaultValue("false") boolean rejectOpioidOrdersDuringBlockade) {}
