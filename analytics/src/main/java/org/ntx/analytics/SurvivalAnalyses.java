package org.ntx.analytics;

import org.apache.spark.sql.Row;
import org.ntx.survival.LogRank;
import org.ntx.survival.SurvivalCurve;
import org.ntx.survival.SurvivalTables;
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

    /** Times of the plots' numbers-at-risk table. */
    static final List<Integer> TIMES = List.of(0, 30, 90, 180, 365);

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
            SurvivalTables.Analysis result = SurvivalTables.analyse(analysis.name(), byStratifier);
            for (SurvivalTables.Comparison comparison : result.comparisons()) {
                tests.put(analysis.name() + "/" + comparison.stratifier(), comparison.test());
            }
            if (plots) {
                for (String stratifier : SurvivalTables.STRATIFIERS) {
                    Map<String, SurvivalCurve> shown = new LinkedHashMap<>();
                    List<String> compared = SurvivalTables.COMPARED.get(stratifier);
                    result.strata().stream().filter(s -> s.stratifier().equals(stratifier))
                            .filter(s -> compared == null || compared.contains(s.name()))
                            .forEach(s -> shown.put(s.name(), s.curve()));
                    if (shown.isEmpty()) {
                        continue;
                    }
                    String testLine = result.comparisons().stream().filter(c -> c.stratifier().equals(stratifier))
                            .findFirst().map(c -> KaplanMeierPlot.testLine(c.test())).orElse("");
                    plot(out, analysis, stratifier, shown, testLine);
                }
            }
            out.writeText("survival/" + analysis.name() + "-curves.csv", SurvivalTables.curvesCsv(result));
            out.writeText("survival/" + analysis.name() + "-summary.csv", SurvivalTables.summaryCsv(result));
            out.writeText("survival/" + analysis.name() + "-logrank.csv", SurvivalTables.logRankCsv(result));
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
}
