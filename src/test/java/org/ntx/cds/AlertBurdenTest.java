package org.ntx.cds;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The alert-burden report on our synthetic cohort ({@link AlertBurden}): writes {@code target/alert-burden.md} and
 * fails on a repeated interruption for an answered unchanged decision, on a critical card without evidence in the
 * record, or on a card the scenario tables do not expect. {@code -Dntx.burden.patients} sets the size (400). The same
 * measurement on a Synthea population: {@code SyntheaAlertBurdenIT}.
 */
class AlertBurdenTest {

    static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
    static final long SEED = 42;
    static final int PATIENTS = Integer.getInteger("ntx.burden.patients", 400);

    @Test
    void noAnsweredUnchangedDecisionInterruptsTwiceAndEveryCriticalCardIsTraceableToEvidence() throws IOException {
        AlertBurden.Measurement synthetic = AlertBurden.measure(OrderPopulation.synthetic(SEED, PATIENTS, AS_OF,
                AlertBurden.TERMINOLOGY.medications()));
        AlertBurden.reportAndCheck(List.of(synthetic), Path.of("target/alert-burden.md"),
                "The same measurement on a Synthea population: `SyntheaAlertBurdenIT`, `target/alert-burden-synthea.md`.",
                true);
    }
}
