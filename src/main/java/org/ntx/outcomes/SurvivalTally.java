package org.ntx.outcomes;

import org.ntx.survival.SurvivalTables;
import org.ntx.survival.TimeCounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Follow-up counts for the Kaplan-Meier analyses (measures/README.md S2-S5), per analysis, stratification, stratum
 * and day: the server's form of the Spark job's {@code survival_counts} (70_survival_counts.sql). Patients are added
 * one at a time and forgotten; what is kept is at most one entry per day and stratum, whatever the cohort's size.
 */
public final class SurvivalTally {

    /** The analyses, with their titles. */
    public static final Map<String, String> ANALYSES = Map.of(
            "retention", "Retention in naltrexone treatment",
            "induction", "Time from first naltrexone order to first dose",
            "relapse-free", "Relapse-free survival from the first dose");
    public static final List<String> ORDER = List.of("retention", "induction", "relapse-free");

    // analysis -> stratifier -> stratum -> day -> {events, censored}
    private final Map<String, Map<String, Map<String, TreeMap<Long, long[]>>>> counts = new LinkedHashMap<>();

    public void add(PatientOutcome outcome) {
        add("retention", outcome, Optional.of(outcome.retention()));
        add("induction", outcome, outcome.times().induction(outcome.start()));
        add("relapse-free", outcome, outcome.times().relapseFree());
    }

    private void add(String analysis, PatientOutcome outcome, Optional<CourseTimes.Subject> subject) {
        subject.ifPresent(s -> {
            count(analysis, "all", "all", s);
            count(analysis, "formulation", outcome.formulation().name().toLowerCase(Locale.ROOT), s);
            count(analysis, "indication", outcome.indication().name().toLowerCase(Locale.ROOT), s);
        });
    }

    private void count(String analysis, String stratifier, String stratum, CourseTimes.Subject subject) {
        long[] day = counts.computeIfAbsent(analysis, k -> new LinkedHashMap<>())
                .computeIfAbsent(stratifier, k -> new LinkedHashMap<>())
                .computeIfAbsent(stratum, k -> new TreeMap<>())
                .computeIfAbsent(subject.days(), k -> new long[2]);
        day[subject.event() ? 0 : 1]++;
    }

    /** Each analysis estimated with the shared survival/ code, in report order. */
    public List<SurvivalTables.Analysis> analyses() {
        List<SurvivalTables.Analysis> analyses = new ArrayList<>();
        for (String analysis : ORDER) {
            Map<String, Map<String, List<TimeCounts>>> byStratifier = new LinkedHashMap<>();
            counts.getOrDefault(analysis, Map.of()).forEach((stratifier, strata) -> strata.forEach((stratum, days) -> {
                List<TimeCounts> list = byStratifier.computeIfAbsent(stratifier, k -> new LinkedHashMap<>())
                        .computeIfAbsent(stratum, k -> new ArrayList<>());
                days.forEach((day, c) -> list.add(new TimeCounts(day, c[0], c[1])));
            }));
            analyses.add(SurvivalTables.analyse(analysis, byStratifier));
        }
        return analyses;
    }
}
