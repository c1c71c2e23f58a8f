package org.ntx.record;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A patient's record as the rules read it: the timeline, and the draft orders under review as events dated at the
 * moment of the assessment.
 *
 * @param unreadable stored resources of this patient that exist but could not be parsed ({@code Observation/123});
 *                   their kinds of data are unavailable in the timeline
 */
public record RecordTimeline(PatientTimeline timeline, List<MedicationEvent> drafts, List<String> unreadable) {

    public RecordTimeline {
        unreadable = List.copyOf(unreadable);
    }

    public RecordTimeline(PatientTimeline timeline, List<MedicationEvent> drafts) {
        this(timeline, drafts, List.of());
    }

    /** The unreadable resources by the kind of data they belong to, for naming them on the findings. */
    public Map<DataKind, List<String>> unreadableByKind() {
        Map<DataKind, List<String>> byKind = new LinkedHashMap<>();
        for (String reference : unreadable) {
            byKind.computeIfAbsent(kindOf(reference), kind -> new java.util.ArrayList<>()).add(reference);
        }
        return byKind;
    }

    /** The kind of data a stored resource ({@code Observation/123}) belongs to. */
    static DataKind kindOf(String reference) {
        String type = reference.contains("/") ? reference.substring(0, reference.indexOf('/')) : reference;
        return switch (type) {
            case "Observation" -> DataKind.OBSERVATIONS;
            case "Condition" -> DataKind.CONDITIONS;
            default -> DataKind.MEDICATIONS;
        };
    }
}
