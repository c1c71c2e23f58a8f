package org.ntx.outcomes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One patient's naltrexone course, reduced to what the research measures count. Small on purpose: the outcome
 * computation keeps one of these per patient at most, never the patient's resources.
 *
 * @param followedDays         whole days from the start to the day of the report (the follow-up)
 * @param continuouslyCoveredDays whole days from the start until continuous coverage ended, at most the follow-up
 * @param retained             per retention day (30/90/180): empty when the patient was not followed that long yet
 * @param injectionIntervalsOnTime consecutive injections no more than 35 days apart
 * @param injectionIntervalsLate   consecutive injections further apart
 * @param injectionIntervalDays    every interval between consecutive injections, in days (for the histogram)
 * @param proportionOfDaysCovered  oral courses only
 * @param flaggedOpioidOrders  opioid orders written while the blockade was active
 * @param times                follow-up and the time-to-event measures (measures/README.md S1-S4, M8, M9)
 */
public record PatientOutcome(
        String patientId,
        Instant start,
        Formulation formulation,
        Indication indication,
        Instant coverageEnd,
        Map<Integer, Optional<Boolean>> retained,
        int injectionIntervalsOnTime,
        int injectionIntervalsLate,
        List<Long> injectionIntervalDays,
        Optional<Double> proportionOfDaysCovered,
        Optional<Instant> firstRelapseSignal,
        int flaggedOpioidOrders,
        Optional<Instant> firstLiverElevation,
        Optional<Instant> firstOverdose,
        long followedDays,
        long continuouslyCoveredDays,
        CourseTimes times) {

    public enum Formulation { ORAL, INJECTION }

    public enum Indication { OUD, AUD, UNKNOWN }

    public PatientOutcome {
        retained = Map.copyOf(retained);
        injectionIntervalDays = List.copyOf(injectionIntervalDays);
        java.util.Objects.requireNonNull(times, "times");
    }

    /** Day offset (calendar days, UTC) of an instant from the start date: the start is day 0. */
    public long day(Instant when) {
        return CourseTimes.days(start, when);
    }

    /** Retention as a time to event (S2): discontinuation once a gap over the grace period was seen. */
    public CourseTimes.Subject retention() {
        return times.retention(start, coverageEnd);
    }
}
