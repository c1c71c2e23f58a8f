package org.ntx.analytics;

import org.apache.spark.sql.Row;
import org.ntx.survival.KaplanMeier;
import org.ntx.survival.LogRank;
import org.ntx.survival.SurvivalCurve;
import org.ntx.survival.TimeCounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The time-to-event analyses from the aggregated follow-up counts (70_survival_counts.sql): Kaplan-Meier curves
 * overall and per stratum, log-rank tests between the strata of each stratification, and the tables and plots the
 * job writes under {@code survival/}. The estimators are the shared survival/ code, the same the server compiles.
 */
final class SurvivalAnalyses {

    /** Each analysis with its title and what its curve shows. */
    record Analysis(String name, String title, String survivalLabel) {}

    static final List<Analysis> ANALYSES = List.of(
            new Analysis("retention", "Retention in naltrexone treatment", "Still in treatment"),
            new Analysis("induction", "Time from first naltrexone order to first dose", "Not yet inducted"),
            new Analysis("relapse-free", "Relapse-free survival from the first dose", "Relapse-free"));

    /** Strata compared by the log-rank test and plotted, per stratification (issue 19: formulation, indication). */
    static final Map<String, List<String>> COMPARED = Map.of(
            "formulation", List.of("oral", "injection"),
            "indication", List.of("oud", "aud"));

    static final List<Integer> TIMES = List.of(0, 30, 90, 180, 365);

    private static final double CONFIDENCE = 0.95;

    private SurvivalAnalyses() {}

    /** Writes every table and plot; returns the log-rank results by "analysis/stratification" for the run summary. */
    static Map<String, LogRank.Result> write(List<Row> counts, HadoopFiles out, boolean plots) {
        Map<String, LogRank.Result> tests = new LinkedHashMap<>();
        for (Analysis analysis : ANALYSES) {
            Map<String, Map<String, List<TimeCounts>>> byStratifier = new LinkedHashMap<>();
            for (Row row : counts) {
                if (!row.getString(0).equals(analysis.name())) {
                    continue;
                }
                byStratifier.computeIfAbsent(row.getString(1), k -> new LinkedHashMap<>())
                        .computeIfAbsent(row.getString(2), k -> new ArrayList<>())
                        .add(new TimeCounts(((Number) row.get(3)).doubleValue(), ((Number) row.get(4)).longValue(),
                                ((Number) row.get(5)).longValue()));
            }
            StringBuilder curvesCsv = new StringBuilder(
                    "stratifier,stratum,time_days,at_risk,events,censored,survival,std_error,lower_95,upper_95\n");
            StringBuilder summaryCsv = new StringBuilder("stratifier,stratum,patients,events,median_days,"
                    + "median_lower_95,median_upper_95");
            for (int t : TIMES.subList(1, TIMES.size())) {
                summaryCsv.append(String.format(Locale.ROOT, ",at_risk_%d,survival_%d,lower_95_%d,upper_95_%d", t, t, t, t));
            }
            summaryCsv.append('\n');
            StringBuilder logRankCsv = new StringBuilder(
                    "stratifier,stratum,patients,observed,expected,chi_square,df,p_value\n");
            for (String stratifier : List.of("all", "formulation", "indication")) {
                Map<String, List<TimeCounts>> strata = byStratifier.getOrDefault(stratifier, Map.of());
                Map<String, SurvivalCurve> curves = new LinkedHashMap<>();
                for (String stratum : order(stratifier, strata)) {
                    SurvivalCurve curve = KaplanMeier.estimate(strata.get(stratum), CONFIDENCE);
                    curves.put(stratum, curve);
                    for (SurvivalCurve.Step s : curve.steps()) {
                        curvesCsv.append(String.join(",", stratifier, stratum, number(s.time()),
                                Long.toString(s.atRisk()), Long.toString(s.events()), Long.toString(s.censored()),
                                decimal(s.survival()), decimal(s.standardError()), decimal(s.lower()),
                                decimal(s.upper()))).append('\n');
                    }
                    summaryCsv.append(String.join(",", stratifier, stratum, Long.toString(curve.subjects()),
                            Long.toString(curve.events()), optional(curve.median()), optional(curve.medianLower()),
                            optional(curve.medianUpper())));
                    double lastTime = curve.steps().isEmpty() ? 0 : curve.steps().get(curve.steps().size() - 1).time();
                    for (int t : TIMES.subList(1, TIMES.size())) {
                        SurvivalCurve.Step step = curve.stepAt(t).orElse(null);
                        summaryCsv.append(',').append(curve.atRisk(t));
                        if (t > lastTime) {
                            // Beyond the last follow-up time the curve is not estimated (R: summary(extend = FALSE)).
                            summaryCsv.append(",NA,NA,NA");
                        } else {
                            summaryCsv.append(',').append(decimal(curve.survivalAt(t)))
                                    .append(',').append(step == null ? "1.000000" : decimal(step.lower()))
                                    .append(',').append(step == null ? "1.000000" : decimal(step.upper()));
                        }
                    }
                    summaryCsv.append('\n');
                }
                if (stratifier.equals("all")) {
                    if (plots && !curves.isEmpty()) {
                        plot(out, analysis, "all", curves, "");
                    }
                    continue;
                }
                Map<String, List<TimeCounts>> compared = new LinkedHashMap<>();
                for (String stratum : COMPARED.get(stratifier)) {
                    if (strata.containsKey(stratum)) {
                        compared.put(stratum, strata.get(stratum));
                    }
                }
                LogRank.Result test = LogRank.test(compared);
                tests.put(analysis.name() + "/" + stratifier, test);
                for (LogRank.Group group : test.groups()) {
                    logRankCsv.append(String.join(",", stratifier, group.name(), Long.toString(group.subjects()),
                            Long.toString(group.observed()), decimal(group.expected()), decimal(test.chiSquare()),
                            Integer.toString(test.degreesOfFreedom()), decimal(test.pValue()))).append('\n');
                }
                if (plots && !compared.isEmpty()) {
                    Map<String, SurvivalCurve> shown = new LinkedHashMap<>();
                    compared.keySet().forEach(name -> shown.put(name, curves.get(name)));
                    plot(out, analysis, stratifier, shown, KaplanMeierPlot.testLine(test));
                }
            }
            out.writeText("survival/" + analysis.name() + "-curves.csv", curvesCsv.toString());
            out.writeText("survival/" + analysis.name() + "-summary.csv", summaryCsv.toString());
            out.writeText("survival/" + analysis.name() + "-logrank.csv", logRankCsv.toString());
        }
        return tests;
    }

    private static void plot(HadoopFiles out, Analysis analysis, String stratifier, Map<String, SurvivalCurve> curves,
                             String testLine) {
        String title = analysis.title() + (stratifier.equals("all") ? "" : ", by " + stratifier);
        String name = "survival/" + analysis.name() + "-by-" + stratifier;
        out.writeText(name + ".svg", KaplanMeierPlot.svg(title, "Days since " + (analysis.name().equals("relapse-free")
                ? "first dose" : analysis.name().equals("induction") ? "first order" : "start of treatment"),
                analysis.survivalLabel(), curves, TIMES, testLine));
        out.writeText(name + ".txt", KaplanMeierPlot.caption(title, curves, TIMES, testLine) + "\n");
    }

    private static List<String> order(String stratifier, Map<String, List<TimeCounts>> strata) {
        List<String> known = stratifier.equals("all") ? List.of("all")
                : MeasureReportJson.STRATA.get(stratifier);
        List<String> ordered = new ArrayList<>();
        known.stream().filter(strata::containsKey).forEach(ordered::add);
        strata.keySet().stream().filter(s -> !ordered.contains(s)).sorted().forEach(ordered::add);
        return ordered;
    }

    private static String optional(OptionalDouble value) {
        return value.isPresent() ? number(value.getAsDouble()) : "NA";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, "%.6f", value);
    }
}
