package org.ntx.timeline;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One diagnosis about the patient.
 *
 * @param patientId      logical id of the subject Patient; the timeline drops entries about anyone else
 * @param source         the Condition this came from
 * @param conditionClass what the diagnosis means for the rules
 * @param display        diagnosis text for people
 * @param clinicalStatus Condition.clinicalStatus
 * @param verification   Condition.verificationStatus ({@code UNKNOWN} when absent)
 * @param onset          onset, else recordedDate; empty when neither is known
 */
public record ConditionRecord(
        String patientId,
        SourceRef source,
        ConditionClass conditionClass,
        String display,
        ClinicalStatus clinicalStatus,
        Verification verification,
        Optional<Instant> onset) {

    /** Condition clinical status, one constant per FHIR code. */
    public enum ClinicalStatus {
        ACTIVE,
        RECURRENCE,
        RELAPSE,
        INACTIVE,
        REMISSION,
        RESOLVED,
        UNKNOWN
    }

    /** Condition verification status, one constant per FHIR code. */
    public enum Verification {
        UNCONFIRMED,
        PROVISIONAL,
        DIFFERENTIAL,
        CONFIRMED,
        REFUTED,
        ENTERED_IN_ERROR,
        UNKNOWN
    }

    public ConditionRecord {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(conditionClass, "conditionClass");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(clinicalStatus, "clinicalStatus");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(onset, "onset");
    }

    /**
     * Active, recurring or relapsed, and not refuted or entered in error. An unconfirmed or provisional diagnosis
     * still counts: for a safety check a suspected acute hepatitis matters.
     */
    public boolean isActive() {
        boolean clinicallyActive = clinicalStatus == ClinicalStatus.ACTIVE
                || clinicalStatus == ClinicalStatus.RECURRENCE
                || clinicalStatus == ClinicalStatus.RELAPSE;
        return clinicallyActive
                && verification != Verification.REFUTED
                && verification != Verification.ENTERED_IN_ERROR;
    }
}
