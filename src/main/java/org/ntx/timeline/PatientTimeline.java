package org.ntx.timeline;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the rules know about one patient. The mapper builds it once per request.
 *
 * <p>Entries whose {@code patientId} is not this patient's are dropped here, even though the mapper is expected to
 * filter them already: a prefetch or search that leaks another patient's record must never drive a decision about
 * this one, and this is the last place that can guarantee it for every caller.
 *
 * @param patientId   logical id of the Patient
 * @param medications administrations, dispenses, orders and statements (not the draft orders under review)
 * @param labResults  liver tests and urine drug screens
 * @param conditions  diagnoses
 * @param unavailable kinds of data the transport layer could not obtain; rules then cannot conclude "all clear"
 */
public record PatientTimeline(
        String patientId,
        List<MedicationEvent> medications,
        List<LabResult> labResults,
        List<ConditionRecord> conditions,
        Set<DataKind> unavailable) {

    public PatientTimeline {
        Objects.requireNonNull(patientId, "patientId");
        medications = ownedBy(patientId, medications, MedicationEvent::patientId);
        labResults = ownedBy(patientId, labResults, LabResult::patientId);
        conditions = ownedBy(patientId, conditions, ConditionRecord::patientId);
        unavailable = unavailable.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unavailable));
    }

    /** A timeline with no data missing. */
    public static PatientTimeline complete(String patientId, List<MedicationEvent> medications,
            List<LabResult> labResults, List<ConditionRecord> conditions) {
        return new PatientTimeline(patientId, medications, labResults, conditions, Set.of());
    }

    public boolean isAvailable(DataKind kind) {
        return !unavailable.contains(kind);
    }

    private static <T> List<T> ownedBy(String patientId, List<T> entries, Function<T, String> subject) {
        return entries.stream().filter(entry -> patientId.equals(subject.apply(entry))).toList();
    }
}
