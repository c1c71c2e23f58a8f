package org.ntx.outcomes;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.StringType;
import org.ntx.survival.LogRank;
import org.ntx.survival.SurvivalCurve;
import org.ntx.survival.SurvivalTables;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code $naltrexone-survival} as FHIR Parameters. A MeasureReport's stratifiers carry counts and one score; a
 * Kaplan-Meier curve is a table (per step: time, at risk, events, censored, survival, band), so Parameters with
 * nested parts is the shape chosen (README, "Research outcomes"):
 * <pre>
 * evaluationDate, period, [group]
 * analysis*            name (retention | induction | relapse-free), title
 *   curve*             stratifier, stratum, patients, events, median?, medianLower?, medianUpper?
 *     atRisk*          day (30, 90, 180, 365), atRisk, survival?, lower?, upper? (absent beyond follow-up)
 *     step*            time, atRisk, events, censored, survival, stdError?, lower, upper
 *   logRank*           stratifier, chiSquare, degreesOfFreedom, pValue
 *     group*           stratum, patients, observed, expected
 * </pre>
 * Figures are the shared survival/ code's doubles; the Spark job writes the same analyses as CSV (6 decimals).
 */
final class SurvivalReport {

    private SurvivalReport() {}

    static Parameters of(OutcomeStudy.Period period, Instant asOf, List<SurvivalTables.Analysis> analyses) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("evaluationDate").setValue(new DateTimeType(Date.from(asOf)));
        parameters.addParameter().setName("period").setValue(new Period().setStart(Date.from(period.start()))
                .setEnd(Date.from(period.end())));
        period.group().ifPresent(g -> parameters.addParameter().setName("group")
                .setValue(new StringType(g.getIdElement().toUnqualifiedVersionless().getValue())));
        for (SurvivalTables.Analysis analysis : analyses) {
            Parameters.ParametersParameterComponent a = parameters.addParameter().setName("analysis");
            a.addPart().setName("name").setValue(new CodeType(analysis.name()));
            a.addPart().setName("title").setValue(new StringType(SurvivalTally.ANALYSES.get(analysis.name())));
            for (SurvivalTables.Stratum stratum : analysis.strata()) {
                SurvivalCurve curve = stratum.curve();
                Parameters.ParametersParameterComponent c = a.addPart().setName("curve");
                c.addPart().setName("stratifier").setValue(new CodeType(stratum.stratifier()));
                c.addPart().setName("stratum").setValue(new CodeType(stratum.name()));
                c.addPart().setName("patients").setValue(new IntegerType(curve.subjects()));
                c.addPart().setName("events").setValue(new IntegerType(curve.events()));
                optional(c, "median", curve.median());
                optional(c, "medianLower", curve.medianLower());
                optional(c, "medianUpper", curve.medianUpper());
                for (int day : SurvivalTables.TIMES) {
                    Parameters.ParametersParameterComponent r = c.addPart().setName("atRisk");
                    r.addPart().setName("day").setValue(new IntegerType(day));
                    r.addPart().setName("atRisk").setValue(new IntegerType(curve.atRisk(day)));
                    if (stratum.estimatedAt(day)) {
                        decimal(r, "survival", curve.survivalAt(day));
                        decimal(r, "lower", stratum.lowerAt(day));
                        decimal(r, "upper", stratum.upperAt(day));
                    }
                }
                for (SurvivalCurve.Step s : curve.steps()) {
                    Parameters.ParametersParameterComponent step = c.addPart().setName("step");
                    decimal(step, "time", s.time());
                    step.addPart().setName("atRisk").setValue(new IntegerType(s.atRisk()));
                    step.addPart().setName("events").setValue(new IntegerType(s.events()));
                    step.addPart().setName("censored").setValue(new IntegerType(s.censored()));
                    decimal(step, "survival", s.survival());
                    decimal(step, "stdError", s.standardError());
                    decimal(step, "lower", s.lower());
                    decimal(step, "upper", s.upper());
                }
            }
            for (SurvivalTables.Comparison comparison : analysis.comparisons()) {
                LogRank.Result test = comparison.test();
                Parameters.ParametersParameterComponent l = a.addPart().setName("logRank");
                l.addPart().setName("stratifier").setValue(new CodeType(comparison.stratifier()));
                decimal(l, "chiSquare", test.chiSquare());
                l.addPart().setName("degreesOfFreedom").setValue(new IntegerType(test.degreesOfFreedom()));
                decimal(l, "pValue", test.pValue());
                for (LogRank.Group group : test.groups()) {
                    Parameters.ParametersParameterComponent g = l.addPart().setName("group");
                    g.addPart().setName("stratum").setValue(new CodeType(group.name()));
                    g.addPart().setName("patients").setValue(new IntegerType(group.subjects()));
                    g.addPart().setName("observed").setValue(new IntegerType(group.observed()));
                    decimal(g, "expected", group.expected());
                }
            }
        }
        return parameters;
    }

    private static void optional(Parameters.ParametersParameterComponent parent, String name, OptionalDouble value) {
        if (value.isPresent()) {
            decimal(parent, name, value.getAsDouble());
        }
    }

    /** A double as a FHIR decimal; not-a-number (an undefined estimate) leaves the part out. */
    private static void decimal(Parameters.ParametersParameterComponent parent, String name, double value) {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            parent.addPart().setName(name).setValue(new DecimalType(BigDecimal.valueOf(value)));
        }
    }
}
