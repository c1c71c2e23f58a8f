package org.ntx.outcomes;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Running counts for every measure, overall and per stratum (formulation, indication). Patients are added one at a
 * time and then forgotten, so memory does not grow with the cohort.
 */
public final class OutcomeTally {

    /** Numerator and denominator of one measure in one stratum. */
    public static final class Counts {
        private long numerator;
        private long denominator;

        void add(boolean inNumerator) {
            denominator++;
            if (inNumerator) {
                numerator++;
            }
        }

        void add(long numeratorCount, long denominatorCount) {
            numerator += numeratorCount;
            denominator += denominatorCount;
        }

        public long numerator() {
            return numerator;
        }

        public long denominator() {
            return denominator;
        }

        public Optional<Double> score() {
            return denominator == 0 ? Optional.empty() : Optional.of((double) numerator / denominator);
        }
    }

    /** One stratum ("all", "formulation:oral", ...). */
    public static final class Stratum {
        private long patients;
        private long flaggedOrders;
        private double pdcSum;
        private long pdcCount;
        private final Map<OutcomeMeasure, Counts> measures = new EnumMap<>(OutcomeMeasure.class);
        private final Map<String, Long> intervalHistogram = new LinkedHashMap<>();

        Stratum() {
            for (String bucket : INTERVAL_BUCKETS) {
                intervalHistogram.put(bucket, 0L);
            }
        }

        /** Injection intervals per bucket of days: "<=28", "29-35", "36-42", "43-56", ">56". */
        public Map<String, Long> intervalHistogram() {
            return intervalHistogram;
        }

        public long patients() {
            return patients;
        }

        public long flaggedOrders() {
            return flaggedOrders;
        }

        public Optional<Double> meanPdc() {
            return pdcCount == 0 ? Optional.empty() : Optional.of(pdcSum / pdcCount);
        }

        public Counts counts(OutcomeMeasure measure) {
            return measures.computeIfAbsent(measure, m -> new Counts());
        }

        void add(PatientOutcome outcome, double adherentPdc) {
            patients++;
            outcome.retained().forEach((days, retained) ->
                    retained.ifPresent(r -> counts(OutcomeMeasure.retention(days)).add(r)));
            outcome.injectionIntervalDays().forEach(days -> intervalHistogram.merge(bucket(days), 1L, Long::sum));
            counts(OutcomeMeasure.INJECTION_ON_TIME).add(outcome.injectionIntervalsOnTime(),
                    outcome.injectionIntervalsOnTime() + outcome.injectionIntervalsLate());
            outcome.proportionOfDaysCovered().ifPresent(pdc -> {
                counts(OutcomeMeasure.ORAL_PDC_ADHERENT).add(pdc >= adherentPdc);
                pdcSum += pdc;
                pdcCount++;
            });
            counts(OutcomeMeasure.RELAPSE_SIGNAL).add(outcome.firstRelapseSignal().isPresent());
            counts(OutcomeMeasure.OPIOID_ORDER_DURING_BLOCKADE).add(outcome.flaggedOpioidOrders() > 0);
            flaggedOrders += outcome.flaggedOpioidOrders();
            counts(OutcomeMeasure.LIVER_ELEVATION).add(outcome.firstLiverElevation().isPresent());
            counts(OutcomeMeasure.OVERDOSE_EVENT).add(outcome.firstOverdose().isPresent());
            outcome.times().inducted30().ifPresent(counts(OutcomeMeasure.INDUCTION_30)::add);
            outcome.times().continuity180().ifPresent(counts(OutcomeMeasure.CONTINUITY_180)::add);
        }
    }

    /**
     * Retention on every day of follow-up, for one formulation: on day d, the patients followed at least d days
     * (at risk) and those of them continuously covered through day d (retained). A step curve, day by day; the same
     * definition as the 30/90/180-day measures.
     */
    public static final class RetentionCurve {
        private long[] atRisk = new long[0];
        private long[] retained = new long[0];

        void add(long followedDays, long coveredDays) {
            int days = (int) Math.min(followedDays, 3650);
            if (days + 1 > atRisk.length) {
                atRisk = java.util.Arrays.copyOf(atRisk, days + 1);
                retained = java.util.Arrays.copyOf(retained, days + 1);
            }
            for (int d = 0; d <= days; d++) {
                atRisk[d]++;
                if (d <= coveredDays) {
                    retained[d]++;
                }
            }
        }

        /** The last day with anyone at risk, or -1 when nobody was followed. */
        public int lastDay() {
            return atRisk.length - 1;
        }

        public long atRisk(int day) {
            return atRisk[day];
        }

        public long retained(int day) {
            return retained[day];
        }
    }

    public static final String ALL = "all";
    static final java.util.List<String> INTERVAL_BUCKETS = java.util.List.of("<=28", "29-35", "36-42", "43-56", ">56");

    static String bucket(long days) {
        if (days <= 28) {
            return "<=28";
        }
        if (days <= 35) {
            return "29-35";
        }
        if (days <= 42) {
            return "36-42";
        }
        return days <= 56 ? "43-56" : ">56";
    }

    private final double adherentPdc;
    private final Map<String, Stratum> strata = new LinkedHashMap<>();
    private final Map<PatientOutcome.Formulation, RetentionCurve> retentionCurves =
            new EnumMap<>(PatientOutcome.Formulation.class);

    public OutcomeTally(double adherentPdc) {
        this.adherentPdc = adherentPdc;
        strata.put(ALL, new Stratum());
    }

    public void add(PatientOutcome outcome) {
        stratum(ALL).add(outcome, adherentPdc);
        retentionCurve(outcome.formulation()).add(outcome.followedDays(), outcome.continuouslyCoveredDays());
        stratum("formulation:" + outcome.formulation().name().toLowerCase()).add(outcome, adherentPdc);
        stratum("indication:" + outcome.indication().name().toLowerCase()).add(outcome, adherentPdc);
    }

    public Stratum stratum(String key) {
        return strata.computeIfAbsent(key, k -> new Stratum());
    }

    public RetentionCurve retentionCurve(PatientOutcome.Formulation formulation) {
        return retentionCurves.computeIfAbsent(formulation, f -> new RetentionCurve());
    }

    /** Every stratum seen, "all" first. */
    public Map<String, Stratum> strata() {
        return strata;
    }
}
