package org.ntx.survival;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One time-to-event analysis as researchers report it, built the same way by the Spark job (its survival/ tables)
 * and the server ({@code $naltrexone-survival}): a Kaplan-Meier curve per stratum (overall, by formulation, by
 * indication), numbers at risk, survival with its 95% band at 30/90/180/365 days, the median with its limits, and
 * the log-rank test between the compared strata of each stratification. The CSV forms are the job's files; the server
 * returns the same figures as FHIR Parameters.
 */
public final class SurvivalTables {

    /** Days at which numbers at risk and survival are reported. */
    public static final List<Integer> TIMES = List.of(30, 90, 180, 365);
    public static final double CONFIDENCE = 0.95;
    /** Stratifications in report order. */
    public static final List<String> STRATIFIERS = List.of("all", "formulation", "indication");
    /** Strata in report order (others follow, sorted). */
    public static final Map<String, List<String>> STRATA = Map.of(
            "all", List.of("all"),
            "formulation", List.of("oral", "injection"),
            "indication", List.of("oud", "aud", "unknown"));
    /** Strata compared by the log-rank test (issue 19: formulation, indication). */
    public static final Map<String, List<String>> COMPARED = Map.of(
            "formulation", List.of("oral", "injection"),
            "indication", List.of("oud", "aud"));

    /** One stratum's curve. */
    public record Stratum(String stratifier, String name, SurvivalCurve curve) {

        /** Beyond the last follow-up time the curve is not estimated (R: summary(extend = FALSE)). */
        public boolean estimatedAt(double time) {
            return !curve.steps().isEmpty() && time <= curve.steps().get(curve.steps().size() - 1).time();
        }

        /** The band's limits at a time: those of the step in force, 1 before the first step. */
        public double lowerAt(double time) {
            return curve.stepAt(time).map(SurvivalCurve.Step::lower).orElse(1.0);
        }

        public double upperAt(double time) {
            return curve.stepAt(time).map(SurvivalCurve.Step::upper).orElse(1.0);
        }
    }

    /** The log-rank test of one stratification. */
    public record Comparison(String stratifier, LogRank.Result test) {}

    public record Analysis(String name, List<Stratum> strata, List<Comparison> comparisons) {
        public Analysis {
            strata = List.copyOf(strata);
            comparisons = List.copyOf(comparisons);
        }
    }

    private SurvivalTables() {}

    /** Counts per stratification and stratum (one entry per time, or several: they are added up). */
    public static Analysis analyse(String name, Map<String, Map<String, List<TimeCounts>>> counts) {
        List<Stratum> strata = new ArrayList<>();
        List<Comparison> comparisons = new ArrayList<>();
        for (String stratifier : STRATIFIERS) {
            Map<String, List<TimeCounts>> byStratum = counts.getOrDefault(stratifier, Map.of());
            for (String stratum : order(stratifier, byStratum)) {
                strata.add(new Stratum(stratifier, stratum, KaplanMeier.estimate(byStratum.get(stratum), CONFIDENCE)));
            }
            if (COMPARED.containsKey(stratifier)) {
                Map<String, List<TimeCounts>> compared = new LinkedHashMap<>();
                for (String stratum : COMPARED.get(stratifier)) {
                    if (byStratum.containsKey(stratum)) {
                        compared.put(stratum, byStratum.get(stratum));
                    }
                }
                comparisons.add(new Comparison(stratifier, LogRank.test(compared)));
            }
        }
        return new Analysis(name, strata, comparisons);
    }

    private static List<String> order(String stratifier, Map<String, List<TimeCounts>> strata) {
        List<String> ordered = new ArrayList<>();
        STRATA.getOrDefault(stratifier, List.of()).stream().filter(strata::containsKey).forEach(ordered::add);
        strata.keySet().stream().filter(s -> !ordered.contains(s)).sorted().forEach(ordered::add);
        return ordered;
    }

    public static String curvesCsv(Analysis analysis) {
        StringBuilder csv = new StringBuilder(
                "stratifier,stratum,time_days,at_risk,events,censored,survival,std_error,lower_95,upper_95\n");
        for (Stratum stratum : analysis.strata()) {
            for (SurvivalCurve.Step s : stratum.curve().steps()) {
                csv.append(String.join(",", stratum.stratifier(), stratum.name(), number(s.time()),
                        Long.toString(s.atRisk()), Long.toString(s.events()), Long.toString(s.censored()),
                        decimal(s.survival()), decimal(s.standardError()), decimal(s.lower()), decimal(s.upper())))
                        .append('\n');
            }
        }
        return csv.toString();
    }

    public static String summaryCsv(Analysis analysis) {
        StringBuilder csv = new StringBuilder("stratifier,stratum,patients,events,median_days,median_lower_95,"
                + "median_upper_95");
        for (int t : TIMES) {
            csv.append(String.format(Locale.ROOT, ",at_risk_%d,survival_%d,lower_95_%d,upper_95_%d", t, t, t, t));
        }
        csv.append('\n');
        for (Stratum stratum : analysis.strata()) {
            SurvivalCurve curve = stratum.curve();
            csv.append(String.join(",", stratum.stratifier(), stratum.name(), Long.toString(curve.subjects()),
                    Long.toString(curve.events()), optional(curve.median()), optional(curve.medianLower()),
                    optional(curve.medianUpper())));
            for (int t : TIMES) {
                csv.append(',').append(curve.atRisk(t));
                if (!stratum.estimatedAt(t)) {
                    csv.append(",NA,NA,NA");
                } else {
                    csv.append(',').append(decimal(curve.survivalAt(t))).append(',').append(decimal(stratum.lowerAt(t)))
                            .append(',').append(decimal(stratum.upperAt(t)));
                }
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    public static String logRankCsv(Analysis analysis) {
        StringBuilder csv = new StringBuilder("stratifier,stratum,patients,observed,expected,chi_square,df,p_value\n");
        for (Comparison comparison : analysis.comparisons()) {
            LogRank.Result test = comparison.test();
            for (LogRank.Group group : test.groups()) {
                csv.append(String.join(",", comparison.stratifier(), group.name(), Long.toString(group.subjects()),
                        Long.toString(group.observed()), decimal(group.expected()), decimal(test.chiSquare()),
                        Integer.toString(test.degreesOfFreedom()), decimal(test.pValue()))).append('\n');
            }
        }
        return csv.toString();
    }

    public static String optional(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "NA";
    }

    /** A time: whole days without decimals. */
    public static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }

    /** An estimate to 6 decimals; NA when not defined. */
    public static String decimal(double value) {
        return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, "%.6f", value);
    }
}
