package org.ntx.record;

import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.timeline.Shortfall;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The FHIR resources one call works from, per record part, with the parts whose data could not be obtained (and why,
 * where more is known than "could not be read") and the Medication resources that orders and administrations point
 * to. A part can be both present and unavailable: what arrived of it is kept, so that it can still prove a finding.
 *
 * @param shortfalls why a part is unavailable, where more is known than "could not be read"
 * @param unreadable stored resources that exist but could not be read ({@code Observation/123}); their kinds of data
 *                   are among {@code unavailable}
 */
record PatientRecord(
        String patientId,
        Map<RecordPart, List<Resource>> resources,
        Set<RecordPart> unavailable,
        Map<String, Medication> medications,
        Map<RecordPart, Shortfall> shortfalls,
        List<String> unreadable) {

    PatientRecord {
        shortfalls = Map.copyOf(shortfalls);
        unreadable = List.copyOf(unreadable);
    }

    /** Every unavailable part simply could not be read. */
    PatientRecord(String patientId, Map<RecordPart, List<Resource>> resources, Set<RecordPart> unavailable,
                  Map<String, Medication> medications) {
        this(patientId, resources, unavailable, medications, Map.of(), List.of());
    }

    Shortfall shortfall(RecordPart part) {
        return shortfalls.getOrDefault(part, Shortfall.NOT_READ);
    }

    /** A referenced Medication ({@code Medication/123}), if it could be read. */
    Optional<Medication> medication(String reference) {
        return Optional.ofNullable(medications.get(reference));
    }
}
