package org.ntx.cohort;

import ca.uhn.fhir.context.FhirContext;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * {@code mvn -q exec:java -Dexec.mainClass=org.ntx.cohort.LoadCohort -Dexec.args="--patients 1000 --seed 42"}:
 * loads the synthetic cohort into a running server (default http://127.0.0.1:8080/fhir) as of a fixed date
 * (default 2026-11-01), so the same arguments always load the same data.
 */
public final class LoadCohort {

    private LoadCohort() {}

    public static void main(String[] args) {
        String base = "http://127.0.0.1:8080/fhir";
        int patients = 1000;
        long seed = 42;
        LocalDate asOf = LocalDate.of(2026, 11, 1);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--base" -> base = args[i + 1];
                case "--patients" -> patients = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--as-of" -> asOf = LocalDate.parse(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (use --base, --patients, --seed, --as-of)");
            }
        }
        System.err.printf("Loading %d synthetic patients (seed %d, as of %s) into %s%n", patients, seed, asOf, base);
        new CohortLoader(FhirContext.forR4(), base, System.err)
                .load(new SyntheticCohort(seed, asOf.atStartOfDay().toInstant(ZoneOffset.UTC)), patients);
    }
}
