package org.ntx.outcomes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A patient's outcome as the columns of the Spark job's per-patient table (measures/README.md; names and formats the
 * same: day offsets from the start date, flags 1 / 0, NA where not measured, PDC to 3 decimals). The stories of
 * measures/stories.csv are checked against these on the server as they are against the job's table.
 */
public final class PatientColumns {

    private PatientColumns() {}

    public static Map<String, String> of(PatientOutcome o) {
        Map<String, String> c = new LinkedHashMap<>();
        CourseTimes t = o.times();
        c.put("formulation", o.formulation().name().toLowerCase(Locale.ROOT));
        c.put("indication", o.indication().name().toLowerCase(Locale.ROOT));
        c.put("coverage_days", Long.toString(o.day(o.coverageEnd())));
        for (int days : new int[] {30, 90, 180}) {
            c.put("retained_" + days, flag(o.retained().getOrDefault(days, Optional.empty())));
        }
        c.put("injection_intervals_on_time", Integer.toString(o.injectionIntervalsOnTime()));
        c.put("injection_intervals_late", Integer.toString(o.injectionIntervalsLate()));
        c.put("pdc", o.proportionOfDaysCovered().map(p -> String.format(Locale.ROOT, "%.3f", p)).orElse("NA"));
        c.put("relapse_signal_day", day(o, o.firstRelapseSignal()));
        c.put("opioid_orders_during_blockade", Integer.toString(o.flaggedOpioidOrders()));
        c.put("liver_elevation_day", day(o, o.firstLiverElevation()));
        c.put("overdose_day", day(o, o.firstOverdose()));
        c.put("follow_up_days", Long.toString(o.day(t.followUpEnd())));
        c.put("follow_up_ends_by", t.endedBy().code());
        CourseTimes.Subject retention = o.retention();
        c.put("retention_days", Long.toString(retention.days()));
        c.put("retention_event", retention.event() ? "1" : "0");
        Optional<CourseTimes.Subject> induction = t.induction(o.start());
        c.put("induction_days", induction.map(s -> Long.toString(s.days())).orElse("NA"));
        c.put("induction_event", induction.map(s -> s.event() ? "1" : "0").orElse("NA"));
        c.put("inducted_30", flag(t.inducted30()));
        Optional<CourseTimes.Subject> relapse = t.relapseFree();
        c.put("relapse_free_days", relapse.map(s -> Long.toString(s.days())).orElse("NA"));
        c.put("relapse_event", relapse.map(s -> s.event() ? "1" : "0").orElse("NA"));
        c.put("continuity_180", flag(t.continuity180()));
        return c;
    }

    private static String flag(Optional<Boolean> value) {
        return value.map(v -> v ? "1" : "0").orElse("NA");
    }

    private static String day(PatientOutcome o, Optional<Instant> when) {
        return when.map(t -> Long.toString(o.day(t))).orElse("NA");
    }
}
