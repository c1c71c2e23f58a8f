package org.ntx.cohort;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.hl7.fhir.r4.model.Bundle;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Loads a synthetic cohort into a FHIR server through its API: several patients per transaction, with a progress bar.
 */
public final class CohortLoader {

    private static final int PATIENTS_PER_TRANSACTION = 10;

    private final IGenericClient client;
    private final PrintStream progress;

    public CohortLoader(FhirContext fhirContext, String baseUrl, PrintStream progress) {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhirContext.getRestfulClientFactory().setSocketTimeout((int) Duration.ofMinutes(5).toMillis());
        this.client = fhirContext.newRestfulGenericClient(baseUrl);
        this.progress = progress;
    }

    public void load(SyntheticCohort cohort, int patients) {
        long started = System.nanoTime();
        Bundle batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < patients; i++) {
            batch.getEntry().addAll(cohort.patient(i).getEntry());
            if ((i + 1) % PATIENTS_PER_TRANSACTION == 0 || i == patients - 1) {
                client.transaction().withBundle(batch).execute();
                batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                bar(i + 1, patients, started);
            }
        }
        progress.println();
    }

    private void bar(int done, int total, long started) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        progress.printf("\r[%s%s] %d/%d patients, %d s", "#".repeat(filled), "-".repeat(width - filled), done, total,
                seconds);
        progress.flush();
    }
}
