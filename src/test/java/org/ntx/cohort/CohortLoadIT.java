package org.ntx.cohort;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo loader through the FHIR API: transactions are accepted (profiled resources included) and counted. */
@IntegrationTest
class CohortLoadIT {

    @LocalServerPort
    int port;

    @Test
    void loadsTheCohortThroughTheFhirApiWithAProgressBar() {
        FhirContext fhirContext = FhirContext.forR4();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Instant asOf = Instant.parse("2025-06-01T00:00:00Z");
        new CohortLoader(fhirContext, FhirTestClient.baseUrl(port), new PrintStream(progress, true,
                StandardCharsets.UTF_8)).load(new SyntheticCohort(7, asOf), 20);

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("20/20 patients");
        Bundle patients = FhirTestClient.forPort(fhirContext, port).search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.hasSystemWithAnyCode(SyntheticCohort.IDENTIFIER_SYSTEM))
                .and(Patient.IDENTIFIER.exactly().code("7-3"))
                .returnBundle(Bundle.class).execute();
        assertThat(patients.getEntry()).hasSize(1);

        MeasureReport report = FhirTestClient.forPort(fhirContext, port).operation().onServer()
                .named("$naltrexone-outcomes")
                .withParameter(Parameters.class, "start", new org.hl7.fhir.r4.model.DateType("2024-06-01"))
                .andParameter("end", new org.hl7.fhir.r4.model.DateType("2025-05-31"))
                .returnResourceType(MeasureReport.class).useHttpGet().execute();
        int cohort = report.getGroupFirstRep().getPopulationFirstRep().getCount();
        assertThat(cohort).isGreaterThanOrEqualTo(20);
    }
}
