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
 * @param recognisedFrom  whether the drug class rests on a known code or only on text
 * @param exposurePerUse  how long one administration of this product keeps the patient exposed, from the terminology
 *                        data (a monthly depot injection 28 days, a 6-month implant 182 days, a 72-hour patch 3 days);
 *                        empty when one administration is a single dose
 * @param refills     order dispenseRequest.numberOfRepeatsAllowed: fills after the first, each of {@code daysSupply}
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
        Optional<String> route,
        RecognisedFrom recognisedFrom,
        Optional<Duration> exposurePerUse,
        Optional<Integer> refills) {

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
        Objects.requireNonNull(recognisedFrom, "recognisedFrom");
        Objects.requireNonNull(exposurePerUse, "exposurePerUse");
        Objects.requireNonNull(refills, "refills");
        if (refills.filter(count -> count < 0).isPresent()) {
            throw new IllegalArgumentException("refills must not be negative: " + refills.get());
        }
    }

    /** A coded record of a single-dose product without refills (the shape most tests and fixtures need). */
    public MedicationEvent(String patientId, SourceRef source, Kind kind, Status status, DrugClass drugClass,
            String display, Set<Code> codes, Instant start, Optional<Instant> end, Optional<Integer> daysSupply,
            Optional<BigDecimal> doseMg, Optional<String> route) {
        this(patientId, source, kind, status, drugClass, display, codes, start, end, daysSupply, doseMg, route,
                RecognisedFrom.CODES, Optional.empty(), Optional.empty());
    }

    /** Recognised from names in the text only, not from a code. */
    public boolean textOnly() {
        return recognisedFrom == RecognisedFrom.TEXT;
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

    /**
     * {@code start + daysSupply}, when the supply is known; for an order, every fill it allows counts
     * ({@code daysSupply x (1 + refills)}).
     */
    public Optional<Instant> supplyEnd() {
        int fills = kind == Kind.ORDER ? 1 + refills.orElse(0) : 1;
        return daysSupply.map(days -> start.plus(Duration.ofDays((long) days * fills)));
    }
}
