package org.ntx.timeline;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One medication record about the patient, already classified by the terminology layer.
 *
 * @param patientId   logical id of the subject Patient; the timeline drops entries about anyone else
 * @param source      the resource this came from, quoted as evidence
 * @param kind        administration, dispense, order or statement
 * @param status      the resource status, normalised by the mapper
 * @param drugClass   what the drug means for naltrexone safety
 * @param display     medication text for people
 * @param codes       the medication codes as received
 * @param start       administration time; dispense handed-over (else prepared) time; order authored time (else
 *                    validity start); statement effective start
 * @param end         administration period end; order validity period end; statement effective end
 * @param daysSupply  dispense daysSupply; order dispenseRequest.expectedSupplyDuration, in whole days
 * @param doseMg      dose per administration in milligrams, when the mapper could read one
 * @param route       route text, when given
 */
public record MedicationEvent(
        String patientId,
        SourceRef source,
        Kind kind,
        Status status,
        DrugClass drugClass,
        String display,
        Set<Code> codes,
        Instant start,
        Optional<Instant> end,
        Optional<Integer> daysSupply,
        Optional<BigDecimal> doseMg,
        Optional<String> route) {

    /** Which FHIR resource the event was read from; each tells a different story about exposure. */
    public enum Kind {
        ADMINISTRATION,
        DISPENSE,
        ORDER,
        STATEMENT
    }

    /** The union of the four resources' status codes, one constant per FHIR code. */
    public enum Status {
        PREPARATION,
        IN_PROGRESS,
        ACTIVE,
        ON_HOLD,
        COMPLETED,
        STOPPED,
        CANCELLED,
        DECLINED,
        NOT_DONE,
        NOT_TAKEN,
        INTENDED,
        DRAFT,
        ENTERED_IN_ERROR,
        UNKNOWN
    }

    public MedicationEvent {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(drugClass, "drugClass");
        Objects.requireNonNull(display, "display");
        codes = Set.copyOf(codes);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(daysSupply, "daysSupply");
        Objects.requireNonNull(doseMg, "doseMg");
        Objects.requireNonNull(route, "route");
        if (daysSupply.filter(days -> days < 0).isPresent()) {
            throw new IllegalArgumentException("daysSupply must not be negative: " + daysSupply.get());
        }
    }

    /**
     * Whether this record is evidence that the patient had (or has) the drug. Only completed administrations and
     * dispenses count; an order counts unless it is a draft, cancelled or entered in error; a statement counts when
     * active, completed or stopped (stopped still reports past use).
     */
    public boolean counts() {
        return switch (kind) {
            case ADMINISTRATION, DISPENSE -> status == Status.COMPLETED;
            case ORDER -> status != Status.DRAFT && status != Status.CANCELLED && status != Status.ENTERED_IN_ERROR;
            case STATEMENT -> status == Status.ACTIVE || status == Status.COMPLETED || status == Status.STOPPED;
        };
    }

    /** {@code start + daysSupply}, when the supply is known. */
    public Optional<Instant> supplyEnd() {
        return daysSupply.map(days -> start.plus(Duration.ofDays(days)));
    }
}
