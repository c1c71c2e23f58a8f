package org.ntx.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The measures as a FHIR R4 MeasureReport (type summary) in the shape of the server's {@code $naltrexone-outcomes}
 * (org.ntx.outcomes.OutcomeReport): same measure URL, one group per measure coded in the project's CodeSystem, with
 * initial-population / denominator / numerator and the proportion as measureScore, and a stratifier per dimension
 * ("formulation": oral, injection; "indication": oud, aud, unknown) whose strata carry the same populations. Then the
 * groups oral-pdc-mean and injection-interval-days as the server writes them. Written as plain JSON (no HAPI types:
 * the job's HAPI is Pathling's).
 *
 * <p>Differences from the server's report: the CDS card outcome groups ({@code cds-card-overridden:*}) are not here,
 * because card feedback lives in the server's own log and is not part of a Bulk Data export; and two groups are added
 * that the server does not (yet) compute: {@code induction-30} and {@code continuity-180}.
 */
final class MeasureReportJson {

    static final String MEASURE = "https://ntx.example.org/fhir/Measure/naltrexone-outcomes";
    static final String CODE_SYSTEM = "https://ntx.example.org/fhir/CodeSystem/ntx";
    static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";

    /** Measure codes in the server's order, then the job's additions, with the server's display texts. */
    static final List<String[]> MEASURES = List.of(
            new String[] {"retention-30", "Retained in treatment at 30 days (continuous coverage)"},
            new String[] {"retention-90", "Retained in treatment at 90 days"},
            new String[] {"retention-180", "Retained in treatment at 180 days"},
            new String[] {"injection-on-time", "Injections given no more than 35 days after the previous one"},
            new String[] {"oral-pdc-adherent", "Oral courses with a proportion of days covered of 0.8 or more"},
            new String[] {"relapse-signal",
                    "Positive opioid urine screen, or opioid dispensed or administered, in treatment"},
            new String[] {"opioid-order-during-blockade", "Patients with an opioid ordered during an active blockade"},
            new String[] {"liver-elevation", "ALT or AST above 3x the upper limit of normal during treatment"},
            new String[] {"overdose-event", "Naloxone given or overdose diagnosed during treatment or within 90 days after"},
            new String[] {"induction-30", "First dose within 30 days of the first naltrexone order"},
            new String[] {"continuity-180",
                    "OUD pharmacotherapy continuous for at least 180 days without a gap of more than 7 days (NQF 3175 style)"});

    static final Map<String, List<String>> STRATA = Map.of(
            "formulation", List.of("oral", "injection"),
            "indication", List.of("oud", "aud", "unknown"));

    /** One row of measure_counts. */
    record Counts(long initialPopulation, long denominator, long numerator) {}

    /** measure_counts by measure, stratifier and stratum ("all"/"all" for the whole cohort). */
    interface Lookup {
        Counts get(String measure, String stratifier, String stratum);
    }

    private MeasureReportJson() {}

    static String write(Instant asOf, Instant periodStart, Instant periodEnd, Lookup counts, long flaggedOrders,
                        long pdcCourses, Double pdcMean, Map<String, Long> intervalHistogram,
                        Map<String, List<long[]>> retentionCurve) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.put("resourceType", "MeasureReport");
        report.put("status", "complete");
        report.put("type", "summary");
        report.put("measure", MEASURE);
        report.put("date", asOf.toString());
        ObjectNode period = report.putObject("period");
        period.put("start", periodStart.toString());
        period.put("end", periodEnd.toString());
        ArrayNode groups = report.putArray("group");
        for (String[] measure : MEASURES) {
            ObjectNode group = groups.addObject();
            group.set("code", code(json, measure[0], measure[1]));
            Counts all = counts.get(measure[0], "all", "all");
            populations(group.putArray("population"), all);
            if (measure[0].equals("opioid-order-during-blockade")) {
                ObjectNode observation = ((ArrayNode) group.get("population")).addObject();
                ObjectNode code = population(json, "measure-observation");
                code.put("text", "opioid orders during an active blockade");
                observation.set("code", code);
                observation.put("count", flaggedOrders);
            }
            score(group, all);
            ArrayNode stratifiers = group.putArray("stratifier");
            for (String dimension : List.of("formulation", "indication")) {
                ObjectNode stratifier = stratifiers.addObject();
                stratifier.putArray("code").addObject().put("text", dimension);
                ArrayNode strata = stratifier.putArray("stratum");
                for (String value : STRATA.get(dimension)) {
                    Counts c = counts.get(measure[0], dimension, value);
                    if (c == null || c.initialPopulation() == 0) {
                        continue;
                    }
                    ObjectNode stratum = strata.addObject();
                    stratum.putObject("value").put("text", value);
                    populations(stratum.putArray("population"), c);
                    score(stratum, c);
                }
            }
        }
        ObjectNode pdc = groups.addObject();
        pdc.set("code", code(json, "oral-pdc-mean", "Mean proportion of days covered, oral courses"));
        ObjectNode denominator = pdc.putArray("population").addObject();
        denominator.set("code", population(json, "denominator"));
        denominator.put("count", pdcCourses);
        if (pdcMean != null) {
            pdc.putObject("measureScore").put("value", pdcMean);
        }
        // The daily retention curve: one stratifier per formulation, one stratum per day {day, at risk, retained}.
        ObjectNode curve = groups.addObject();
        curve.set("code", code(json, "retention-curve",
                "Retained in treatment on each day of follow-up (continuous coverage)"));
        ArrayNode curveStratifiers = curve.putArray("stratifier");
        for (String formulation : STRATA.get("formulation")) {
            ObjectNode stratifier = curveStratifiers.addObject();
            stratifier.putArray("code").addObject().put("text", formulation);
            ArrayNode days = stratifier.putArray("stratum");
            for (long[] day : retentionCurve.getOrDefault(formulation, List.of())) {
                ObjectNode stratum = days.addObject();
                stratum.putObject("value").put("text", Long.toString(day[0]));
                ArrayNode populations = stratum.putArray("population");
                ObjectNode atRisk = populations.addObject();
                atRisk.set("code", population(json, "denominator"));
                atRisk.put("count", day[1]);
                ObjectNode retained = populations.addObject();
                retained.set("code", population(json, "numerator"));
                retained.put("count", day[2]);
                if (day[1] > 0) {
                    stratum.putObject("measureScore").put("value", (double) day[2] / day[1]);
                }
            }
        }
        ObjectNode intervals = groups.addObject();
        intervals.set("code", code(json, "injection-interval-days", "Days between consecutive injections (histogram)"));
        ObjectNode histogram = intervals.putArray("stratifier").addObject();
        histogram.putArray("code").addObject().put("text", "interval-days");
        ArrayNode buckets = histogram.putArray("stratum");
        for (String bucket : List.of("<=28", "29-35", "36-42", "43-56", ">56")) {
            ObjectNode stratum = buckets.addObject();
            stratum.putObject("value").put("text", bucket);
            ObjectNode numerator = stratum.putArray("population").addObject();
            numerator.set("code", population(json, "numerator"));
            numerator.put("count", intervalHistogram.getOrDefault(bucket, 0L));
        }
        try {
            return json.writeValueAsString(report) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void populations(ArrayNode populations, Counts counts) {
        long[] values = counts == null ? new long[3]
                : new long[] {counts.initialPopulation(), counts.denominator(), counts.numerator()};
        String[] codes = {"initial-population", "denominator", "numerator"};
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < codes.length; i++) {
            ObjectNode population = populations.addObject();
            population.set("code", population(json, codes[i]));
            population.put("count", values[i]);
        }
    }

    private static void score(ObjectNode node, Counts counts) {
        if (counts != null && counts.denominator() > 0) {
            node.putObject("measureScore").put("value", (double) counts.numerator() / counts.denominator());
        }
    }

    private static ObjectNode code(ObjectMapper json, String code, String display) {
        ObjectNode concept = json.createObjectNode();
        ObjectNode coding = concept.putArray("coding").addObject();
        coding.put("system", CODE_SYSTEM);
        coding.put("code", code);
        coding.put("display", display);
        concept.put("text", display);
        return concept;
    }

    private static ObjectNode population(ObjectMapper json, String code) {
        ObjectNode concept = json.createObjectNode();
        ObjectNode coding = concept.putArray("coding").addObject();
        coding.put("system", POPULATION);
        coding.put("code", code);
        return concept;
    }
}
