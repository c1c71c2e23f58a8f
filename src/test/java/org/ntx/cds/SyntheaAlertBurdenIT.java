package org.ntx.cds;

import org.junit.jupiter.api.Test;
import org.ntx.support.Synthea;

import java.nio.file.Path;
import java.util.List;

/**
 * The alert-burden measurement ({@link AlertBurden}) on a Synthea 3.3.0 population: the same 40 Massachusetts
 * patients (seed 12345, as of 2025-01-01) the terminology coverage test generates, with Synthea's opioid and OUD
 * module. Every opioid and naltrexone order Synthea wrote is signed again at its time against the record as it stood.
 * An integration test only because Synthea runs as its own process (about a minute, several GB); no Spring context.
 * Writes {@code target/alert-burden-synthea.md}.
 */
class SyntheaAlertBurdenIT {

    @Test
    void noRepeatedInterruptionAndEveryCriticalCardTraceableOnASyntheaPopulation() throws Exception {
        Path fhir = Synthea.population("12345", 40, "20250101");

        AlertBurden.Measurement synthea = AlertBurden.measure(OrderPopulation.fhirFolder(fhir,
                AlertBurden.FHIR, AlertBurden.TERMINOLOGY.medications()));

        // Synthea rarely puts anyone on naltrexone (REFERENCE.md §9), so interruptions, and repeats before, may be
        // few or none: the goals still hold, repeats before are not required.
        AlertBurden.reportAndCheck(List.of(synthea), Path.of("target/alert-burden-synthea.md"),
                "Synthea 3.3.0, seed 12345, 40 patients, reference date 2025-01-01 (as in `SyntheaCoverageIT`).",
                false);
    }
}
