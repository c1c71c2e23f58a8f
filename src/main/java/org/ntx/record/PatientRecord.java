package org.ntx.record;

import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The FHIR resources one call works from, per record part, with the parts whose data could not be obtained and
 * the Medication resources that orders and administrations point to.
 *
 * @param unreadable stored resources that exist but could not be read ({@code Observation/123}); their kinds of data
 *                   are among {@code unavailable}
 */
record PatientRecord(
        String patientId,
        Map<RecordPart, List<Resource>> resources,
        Set<RecordPart> unavailable,
        Map<String, Medication> medications,
        List<String> unreadable) {

    PatientRecord {
        unreadable = List.copyOf(unreadable);
    }

    PatientRecord(String patientId, Map<RecordPart, List<Resource>> resources, Set<RecordPart> unavailable,
                  Map<String, Medication> medications) {
        this(patientId, resources, unavailable, medications, List.of());
    }

    /** A referenced Medication ({@code Medication/123}), if it could be read. */
    Optional<Medication> medication(String reference) {
        return Optional.ofNullable(medications.get(reference));
    }
}
