package org.ntx.outcomes;

import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.ntx.survival.SurvivalTables;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code $naltrexone-survival}'s Parameters back into the Spark job's three CSV tables per analysis (curves,
 * summary, log-rank), formatted as the job formats them (SurvivalTables), so the two can be compared as text.
 */
final class SurvivalParameters {

    private SurvivalParameters() {}

    /** Per analysis name: {curves, summary, log-rank} CSV. */
    static Map<String, String[]> asCsv(Parameters parameters) {
        Map<String, String[]> tables = new LinkedHashMap<>();
        for (Parameters.ParametersParameterComponent analysis : parameters.getParameter()) {
            if (!analysis.getName().equals("analysis")) {
                continue;
            }
            StringBuilder curves = new StringBuilder(
                    "stratifier,stratum,time_days,at_risk,events,censored,survival,std_error,lower_95,upper_95\n");
            StringBuilder summary = new StringBuilder("stratifier,stratum,patients,events,median_days,"
                    + "median_lower_95,median_upper_95");
            for (int t : SurvivalTables.TIMES) {
                summary.append(String.format(Locale.ROOT, ",at_risk_%d,survival_%d,lower_95_%d,upper_95_%d", t, t, t, t));
            }
            summary.append('\n');
            StringBuilder logRank = new StringBuilder(
                    "stratifier,stratum,patients,observed,expected,chi_square,df,p_value\n");
            for (Parameters.ParametersParameterComponent curve : parts(analysis, "curve")) {
                String prefix = text(curve, "stratifier") + "," + text(curve, "stratum");
                for (Parameters.ParametersParameterComponent s : parts(curve, "step")) {
                    curves.append(String.join(",", prefix, SurvivalTables.number(decimal(s, "time").orElseThrow()),
                            text(s, "atRisk"), text(s, "events"), text(s, "censored"), fixed(s, "survival"),
                            fixed(s, "stdError"), fixed(s, "lower"), fixed(s, "upper"))).append('\n');
                }
                summary.append(String.join(",", prefix, text(curve, "patients"), text(curve, "events"),
                        time(curve, "median"), time(curve, "medianLower"), time(curve, "medianUpper")));
                for (Parameters.ParametersParameterComponent r : parts(curve, "atRisk")) {
                    summary.append(',').append(text(r, "atRisk")).append(',').append(fixed(r, "survival"))
                            .append(',').append(fixed(r, "lower")).append(',').append(fixed(r, "upper"));
                }
                summary.append('\n');
            }
            for (Parameters.ParametersParameterComponent test : parts(analysis, "logRank")) {
                for (Parameters.ParametersParameterComponent g : parts(test, "group")) {
                    logRank.append(String.join(",", text(test, "stratifier"), text(g, "stratum"), text(g, "patients"),
                            text(g, "observed"), fixed(g, "expected"), fixed(test, "chiSquare"),
                            text(test, "degreesOfFreedom"), fixed(test, "pValue"))).append('\n');
                }
            }
            tables.put(text(analysis, "name"), new String[] {curves.toString(), summary.toString(), logRank.toString()});
        }
        return tables;
    }

    private static List<Parameters.ParametersParameterComponent> parts(
            Parameters.ParametersParameterComponent parent, String name) {
        return parent.getPart().stream().filter(p -> p.getName().equals(name)).toList();
    }

    private static Optional<Parameters.ParametersParameterComponent> part(
            Parameters.ParametersParameterComponent parent, String name) {
        return parts(parent, name).stream().findFirst();
    }

    private static String text(Parameters.ParametersParameterComponent parent, String name) {
        return part(parent, name).map(p -> p.getValue() instanceof IntegerType i ? Integer.toString(i.getValue())
                : ((PrimitiveType<?>) p.getValue()).getValueAsString()).orElse("NA");
    }

    private static Optional<Double> decimal(Parameters.ParametersParameterComponent parent, String name) {
        return part(parent, name).map(p -> ((DecimalType) p.getValue()).getValue().doubleValue());
    }

    private static String fixed(Parameters.ParametersParameterComponent parent, String name) {
        return decimal(parent, name).map(SurvivalTables::decimal).orElse("NA");
    }

    private static String time(Parameters.ParametersParameterComponent parent, String name) {
        return decimal(parent, name).map(SurvivalTables::number).orElse("NA");
    }
}
