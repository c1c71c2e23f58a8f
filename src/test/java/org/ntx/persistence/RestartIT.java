package org.ntx.persistence;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ntx.support.RunningServer;
import org.ntx.support.TestPostgres;

import javax.sql.DataSource;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production runs on PostgreSQL: the first start creates HAPI's schema, and every later start must come up on the
 * existing schema with the data intact.
 */
class RestartIT {

    @Test
    void keepsDataAcrossARestartOnTheSamePostgresDatabase() throws Exception {
        try (TestPostgres postgres = TestPostgres.start()) {
            String patientId;
            try (RunningServer first = RunningServer.start(postgres.springProperties())) {
                try (Connection connection = first.bean(DataSource.class).getConnection()) {
                    assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
                }
                Patient patient = new Patient();
                patient.addIdentifier().setSystem("urn:test:mrn").setValue("RESTART-1");
                patientId = ((IdType) first.fhirClient().create().resource(patient).execute().getId()).getIdPart();
            }

            try (RunningServer second = RunningServer.start(postgres.springProperties())) {
                IGenericClient client = second.fhirClient();
                Patient read = client.read().resource(Patient.class).withId(patientId).execute();
                assertThat(read.getIdentifierFirstRep().getValue()).isEqualTo("RESTART-1");

                Bundle search = client.search().forResource(Patient.class)
                        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:mrn", "RESTART-1"))
                        .returnBundle(Bundle.class).execute();
                assertThat(search.getEntry()).hasSize(1);
            }
        }
    }
}
