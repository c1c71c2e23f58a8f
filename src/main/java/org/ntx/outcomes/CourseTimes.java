package org.ntx.outcomes;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A course's follow-up and its time-to-event measures (measures/README.md S1-S4, M8, M9), in the form the Kaplan-Meier
 * estimates and the Spark job's per-patient table use: whole calendar days (UTC) and an event flag.
 *
 * @param followUpEnd            the earliest of the evaluation date, death and the first transfer out after the start
 * @param endedBy                which of the three it was
 * @param grace                  a gap longer than this after continuous coverage is a discontinuation (7 days)
 * @param startsWithOrder        the course starts with an order (induction is measured only for those)
 * @param firstDose              the first naltrexone administration or dispense
 * @param firstRelapseAfterDose  the first relapse event (positive opioid screen, opioid dispensed or administered,
 *                               overdose) from the first dose to the end of follow-up
 * @param inducted30             M8: first dose within 30 days of the first order; empty when not measured
 * @param continuity180          M9: NQF 3175-style continuity; empty when not measured
 */
public record CourseTimes(
        Instant followUpEnd,
        FollowUpEnd endedBy,
        Duration grace,
        boolean startsWithOrder,
        Optional<Instant> firstDose,
        Optional<Instant> firstRelapseAfterDose,
        Optional<Boolean> inducted30,
        Optional<Boolean> continuity180) {

    /** Why follow-up ended. */
    public enum FollowUpEnd {
        DEATH("death"), TRANSFER_OUT("transfer-out"), END_OF_STUDY("end-of-study");

        private final String code;

        FollowUpEnd(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** One subject of a Kaplan-Meier analysis: days from its origin, and whether the event was seen. */
    public record Subject(long days, boolean event) {}

    public CourseTimes {
        Objects.requireNonNull(followUpEnd, "followUpEnd");
        Objects.requireNonNull(endedBy, "endedBy");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(firstDose, "firstDose");
        Objects.requireNonNull(firstRelapseAfterDose, "firstRelapseAfterDose");
        Objects.requireNonNull(inducted30, "inducted30");
        Objects.requireNonNull(continuity180, "continuity180");
    }

    /** S2: an event when follow-up outlasts coverage end plus the grace period; else censored at the earlier end. */
    Subject retention(Instant start, Instant coverageEnd) {
        boolean event = coverageEnd.plus(grace).isBefore(followUpEnd);
        Instant end = event || coverageEnd.isBefore(followUpEnd) ? coverageEnd : followUpEnd;
        return new Subject(days(start, end), event);
    }

    /** S3: courses that start with an order, from the order to the first dose, censored at the end of follow-up. */
    public Optional<Subject> induction(Instant start) {
        if (!startsWithOrder) {
            return Optional.empty();
        }
        boolean dosed = firstDose.filter(dose -> !dose.isAfter(followUpEnd)).isPresent();
        return Optional.of(new Subject(days(start, dosed ? firstDose.get() : followUpEnd), dosed));
    }

    /** S4: patients dosed within follow-up, from the first dose to the first relapse event or the end of follow-up. */
    public Optional<Subject> relapseFree() {
        return firstDose.filter(dose -> !dose.isAfter(followUpEnd)).map(dose -> new Subject(
                days(dose, firstRelapseAfterDose.orElse(followUpEnd)), firstRelapseAfterDose.isPresent()));
    }

    /** Calendar days (UTC) between the dates of two instants. */
    static long days(Instant from, Instant to) {
        return ChronoUnit.DAYS.between(from.atZone(ZoneOffset.UTC).toLocalDate(),
                to.atZone(ZoneOffset.UTC).toLocalDate());
    }
}
