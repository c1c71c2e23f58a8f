package org.ntx.outcomes;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What the record says about a patient's follow-up beyond the treatment records (measures/README.md S1, M9): death
 * ({@code Patient.deceasedDateTime}), transfers out of care (Encounters discharged to another facility, their end),
 * and the birth date (continuity is measured for adults).
 */
public record FollowUpRecord(Optional<Instant> death, List<Instant> transfersOut, Optional<LocalDate> birthDate) {

    public FollowUpRecord {
        transfersOut = List.copyOf(transfersOut);
    }

    /** Nothing known beyond the treatment records: follow-up lasts until the evaluation date. */
    public static FollowUpRecord none() {
        return new FollowUpRecord(Optional.empty(), List.of(), Optional.empty());
    }
}
