package org.ntx.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the FHIR operations and the write-time check. The name stays under {@code ntx.cds.*}, where sites have
 * set it since these checks were part of the CDS package.
 *
 * @param rejectOpioidOrdersDuringBlockade refuse (422) an opioid MedicationRequest POSTed while the blockade is
 *                          active, instead of storing it with a warning ({@link OpioidOrderGuard})
 */
@Validated
@ConfigurationProperties("ntx.cds")
public record OperationsProperties(@DefaultValue("false") boolean rejectOpioidOrdersDuringBlockade) {}
