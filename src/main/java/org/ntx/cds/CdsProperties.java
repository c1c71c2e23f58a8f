package org.ntx.cds;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * CDS Hooks transport settings ({@code ntx.cds.*}). Under the same prefix: how records are read (paging, reuse:
 * {@code record.RecordProperties}) and whether the write-time check refuses opioid orders
 * ({@code operations.OperationsProperties}).
 *
 * @param cardSourceUrl the {@code source.url} on every card: where a clinician reads about this service
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record CdsProperties(@DefaultValue("https://ntx.example.org/fhir") String cardSourceUrl) {}
