package org.ntx.record;

import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient's stored record is reused only while no write has touched it: the change counters are bumped by writes
 * of the patient's resources (and of any Medication), and a record read with a gap is never kept. Runs the counters'
 * SQL on H2; the PostgreSQL form runs in every integration test.
 */
class StoredRecordCacheTest {

    final JdbcTemplate jdbc = h2();
    final RecordGenerations generations = new RecordGenerations(jdbc);
    final StoredRecordCache cache = new StoredRecordCache(generations);
    final AtomicInteger reads = new AtomicInteger();

    @Test
    void reusesTheRecordUntilAWriteTouchesThePatient() {
        assertThat(get("p1").patientId()).isEqualTo("p1");
        get("p1");
        assertThat(reads).hasValue(1);

        generations.created(administrationFor("p2"));
        get("p1");
        assertThat(reads).as("another patient's write changes nothing here").hasValue(1);

        generations.created(administrationFor("p1"));
        get("p1");
        assertThat(reads).hasValue(2);

        generations.updated(administrationFor("p3"), administrationFor("p1"));
        get("p1");
        assertThat(reads).as("a resource moved to this patient").hasValue(3);

        generations.deleted(new Observation().setSubject(new Reference("Patient/p1")));
        get("p1");
        assertThat(reads).hasValue(4);
    }

    @Test
    void aMedicationWriteInvalidatesEveryPatient() {
        get("p1");
        get("p2");
        generations.updated(new Medication(), new Medication());
        get("p1");
        get("p2");
        assertThat(reads).hasValue(4);
    }

    @Test
    void neverKeepsARecordWithAGap() {
        PatientRecord partial = new PatientRecord("p1", Map.of(), Set.of(RecordPart.LAB_OBSERVATIONS), Map.of());
        cache.get("p1", () -> {
            reads.incrementAndGet();
            return partial;
        });
        cache.get("p1", () -> {
            reads.incrementAndGet();
            return partial;
        });
        assertThat(reads).hasValue(2);
    }

    @Test
    void readsInFullWhenTheCountersCannotBeRead() {
        get("p1");
        jdbc.execute("DROP TABLE ntx_record_generation");
        get("p1");
        assertThat(reads).hasValue(2);
    }

    @Test
    void onlyTheTypesTheRulesReadCount() {
        assertThat(RecordGenerations.affected(new Patient())).isEmpty();
        assertThat(RecordGenerations.affected(new MedicationAdministration())).isEmpty();
        assertThat(RecordGenerations.affected(administrationFor("p9"))).containsExactly("p9");
        assertThat(RecordGenerations.affected(new Medication())).containsExactly(RecordGenerations.MEDICATIONS);
    }

    private PatientRecord get(String patientId) {
        return cache.get(patientId, () -> {
            reads.incrementAndGet();
            return new PatientRecord(patientId, Map.of(RecordPart.CONDITIONS, List.of()), Set.of(), Map.of());
        });
    }

    private static MedicationAdministration administrationFor(String patientId) {
        MedicationAdministration administration = new MedicationAdministration();
        administration.setSubject(new Reference("Patient/" + patientId));
        return administration;
    }

    private static JdbcTemplate h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:generations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return new JdbcTemplate(h2);
    }
}
