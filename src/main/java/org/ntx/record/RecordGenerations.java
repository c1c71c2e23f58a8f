package org.ntx.record;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A change counter per patient, in the database beside HAPI's tables, so that a CDS answer built from a cached copy of
 * a patient's record can prove the copy is current with one indexed read, on every node.
 *
 * <p>Every write of a resource the rules read (orders, administrations, dispenses, statements, observations,
 * conditions) bumps its patient's counter in the same transaction, just before commit, through HAPI's storage hooks,
 * which run for every write path: REST, transactions, conditional writes, patches and deletes. Writes of Medication
 * resources (which orders point to, for every patient) bump one shared counter. A reader that sees the counters it
 * cached against therefore knows no committed write has touched the record since.
 */
@Interceptor
public class RecordGenerations {

    /** The counter that Medication writes bump; a patient id can never contain '#'. */
    static final String MEDICATIONS = "#medications";

    private final JdbcTemplate jdbc;
    private final String bumpSql;

    RecordGenerations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS ntx_record_generation (
                    patient_id VARCHAR(64) PRIMARY KEY,
                    generation BIGINT NOT NULL
                )""");
        // An atomic upsert: PostgreSQL's ON CONFLICT is safe under concurrent first writes; H2 (first run, one node)
        // has MERGE ... KEY.
        bumpSql = isPostgres(jdbc)
                ? "INSERT INTO ntx_record_generation (patient_id, generation) VALUES (?, 1)"
                + " ON CONFLICT (patient_id) DO UPDATE SET generation = ntx_record_generation.generation + 1"
                : "MERGE INTO ntx_record_generation t USING (VALUES (CAST(? AS VARCHAR(64)))) s(patient_id)"
                + " ON t.patient_id = s.patient_id"
                + " WHEN MATCHED THEN UPDATE SET generation = t.generation + 1"
                + " WHEN NOT MATCHED THEN INSERT (patient_id, generation) VALUES (s.patient_id, 1)";
    }

    private static boolean isPostgres(JdbcTemplate jdbc) {
        Boolean postgres = jdbc.execute((Connection connection) -> {
            try {
                return connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
            } catch (SQLException e) {
                return false;
            }
        });
        return Boolean.TRUE.equals(postgres);
    }

    /** The patient's counter and the Medication counter, as one version stamp (0 for never written). */
    Stamp current(String patientId) {
        Map<String, Long> found = new HashMap<>();
        jdbc.query("SELECT patient_id, generation FROM ntx_record_generation WHERE patient_id IN (?, ?)",
                row -> {
                    found.put(row.getString(1), row.getLong(2));
                }, patientId, MEDICATIONS);
        return new Stamp(found.getOrDefault(patientId, 0L), found.getOrDefault(MEDICATIONS, 0L));
    }

    /** Which counters a write of this resource must bump: its patient's, or the shared one for a Medication. */
    static Set<String> affected(IBaseResource resource) {
        if (resource instanceof Medication) {
            return Set.of(MEDICATIONS);
        }
        return subject(resource).flatMap(TimelineMapper::patientId).map(Set::of).orElse(Set.of());
    }

    private static Optional<Reference> subject(IBaseResource resource) {
        if (resource instanceof MedicationRequest r) {
            return Optional.of(r.getSubject());
        } else if (resource instanceof MedicationAdministration a) {
            return Optional.of(a.getSubject());
        } else if (resource instanceof MedicationDispense d) {
            return Optional.of(d.getSubject());
        } else if (resource instanceof MedicationStatement s) {
            return Optional.of(s.getSubject());
        } else if (resource instanceof Observation o) {
            return Optional.of(o.getSubject());
        } else if (resource instanceof Condition c) {
            return Optional.of(c.getSubject());
        }
        return Optional.empty();
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        bump(affected(resource));
    }

    /** Both patients, if an update moved the resource from one to another. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated) {
        Set<String> both = new LinkedHashSet<>(affected(previous));
        both.addAll(affected(updated));
        bump(both);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        bump(affected(resource));
    }

    private void bump(Set<String> ids) {
        for (String id : ids) {
            if (id.length() <= 64) {
                jdbc.update(bumpSql, id);
            }
        }
    }

    /** The counters a cached record was read under. */
    record Stamp(long patient, long medications) {}
}
