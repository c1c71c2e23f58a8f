package org.ntx.server;

import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntx.support.RunningServer;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first run: no external service, the embedded H2 file database under the data directory, which must
 * survive a restart. Only the data directory is moved into a temporary folder; every other setting is the default.
 */
class FirstRunIT {

    @TempDir
    Path dataDir;

    @Test
    void startsOnTheEmbeddedDatabaseAndKeepsDataAcrossARestart() throws Exception {
        Map<String, Object> defaults = Map.of("ntx.data-dir", dataDir.toString());
        String patientId;
        try (RunningServer first = RunningServer.start(defaults)) {
            try (Connection connection = first.bean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("H2");
            }
            Patient patient = new Patient();
            patient.addName().setFamily("FirstRun");
            patientId = ((IdType) first.fhirClient().create().resource(patient).execute().getId()).getIdPart();
        }
        assertThat(Files.list(dataDir)).anyMatch(file -> file.getFileName().toString().startsWith("ntx-fhir"));

        try (RunningServer second = RunningServer.start(defaults)) {
            Patient read = second.fhirClient().read().resource(Patient.class).withId(patientId).execute();
            assertThat(read.getNameFirstRep().getFamily()).isEqualTo("FirstRun");
        }
    }
}
