package org.ntx.survival;

/**
 * What happened at one follow-up time: how many subjects had the event and how many were censored there. The
 * estimators take these rather than one row per subject, so a cohort of any size arrives already aggregated (the
 * Spark job groups by stratum and day; the server can count as it streams).
 *
 * @param time     follow-up time, in the caller's unit (days here), zero or more
 * @param events   subjects whose event happened at {@code time}
 * @param censored subjects whose follow-up ended at {@code time} without the event
 */
public record TimeCounts(double time, long events, long censored) {

    public TimeCounts {
        if (Double.isNaN(time) || time < 0) {
            throw new IllegalArgumentException("follow-up time must be zero or more: " + time);
        }
        if (events < 0 || censored < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + events + ", " + censored);
        }
    }

    /** One subject: an event at {@code time}, or censored there. */
    public static TimeCounts subject(double time, boolean event) {
        return new TimeCounts(time, event ? 1 : 0, event ? 0 : 1);
    }

    public long subjects() {
        return events + censored;
    }
}
