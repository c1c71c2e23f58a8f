package org.ntx.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

/**
 * One request for advice.
 *
 * <p>Draft orders about another patient, or already cancelled or entered in error, are dropped: they are not what the
 * clinician is about to sign for this patient.
 *
 * @param timeline    what is known about the patient
 * @param draftOrders the orders being selected or signed (kind ORDER, usually status DRAFT); empty on patient-view
 * @param asOf        the instant the advice is for; rules never read a clock
 * @param trigger     which workflow moment asked
 */
public record RuleInput(PatientTimeline timeline, List<MedicationEvent> draftOrders, Instant asOf, Trigger trigger) {

    public RuleInput {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(trigger, "trigger");
        draftOrders = draftOrders.stream()
                .filter(draft -> draft.patientId().equals(timeline.patientId()))
                .filter(draft -> draft.status() != MedicationEvent.Status.CANCELLED
                        && draft.status() != MedicationEvent.Status.ENTERED_IN_ERROR)
                .toList();
    }

    public static RuleInput patientView(PatientTimeline timeline, Instant asOf) {
        return new RuleInput(timeline, List.of(), asOf, Trigger.PATIENT_VIEW);
    }

    public static RuleInput orderSelect(PatientTimeline timeline, List<MedicationEvent> draftOrders, Instant asOf) {
        return new RuleInput(timeline, draftOrders, asOf, Trigger.ORDER_SELECT);
    }

    public static RuleInput orderSign(PatientTimeline timeline, List<MedicationEvent> draftOrders, Instant asOf) {
        return new RuleInput(timeline, draftOrders, asOf, Trigger.ORDER_SIGN);
    }

    boolean hasOpioidDraft() {
        return draftOrders.stream().anyMatch(draft -> draft.drugClass().isOpioid());
    }
}
