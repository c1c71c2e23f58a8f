package org.ntx.timeline;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
 * @param shortfalls  why each unavailable kind is missing, where the reader knows more than "could not be read"
 */
public record PatientTimeline(
        String patientId,
        List<MedicationEvent> medications,
        List<LabResult> labResults,
        List<ConditionRecord> conditions,
        Set<DataKind> unavailable,
        Map<DataKind, Shortfall> shortfalls) {

    public PatientTimeline {
        Objects.requireNonNull(patientId, "patientId");
        medications = ownedBy(patientId, medications, MedicationEvent::patientId);
        labResults = ownedBy(patientId, labResults, LabResult::patientId);
        conditions = ownedBy(patientId, conditions, ConditionRecord::patientId);
        unavailable = unavailable.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(unavailable));
        Map<DataKind, Shortfall> why = new EnumMap<>(DataKind.class);
        for (DataKind kind : unavailable) {
            why.put(kind, shortfalls.getOrDefault(kind, Shortfall.NOT_READ));
        }
        shortfalls = Map.copyOf(why);
    }

    /** Every unavailable kind simply could not be read. */
    public PatientTimeline(String patientId, List<MedicationEvent> medications, List<LabResult> labResults,
                           List<ConditionRecord> conditions, Set<DataKind> unavailable) {
        this(patientId, medications, labResults, conditions, unavailable, Map.of());
    }

    /** Why {@code kind} is missing; {@link Shortfall#NOT_READ} for a kind that is there (never asked then). */
    public Shortfall shortfall(DataKind kind) {
        return shortfalls.getOrDefault(kind, Shortfall.NOT_READ);
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
