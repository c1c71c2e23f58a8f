package org.ntx.survival;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The estimators against the textbook example: remission durations (weeks) of 23 patients with acute myelogenous
 * leukaemia, with or without maintenance chemotherapy (Embury et al. 1977, as tabulated in Miller, "Survival
 * Analysis", Wiley 1981, p. 49; R's {@code survival::aml}). A "+" is a censored time.
 *
 * <p>Where each expected number comes from:
 * <ul>
 *   <li>S(t) and its Greenwood standard error: the {@code survival} and {@code std.err} columns R prints for
 *       {@code summary(survfit(Surv(time, status) ~ x, data = aml))} (package survival), four decimals;</li>
 *   <li>observed and expected events and the chi-square: R's {@code survdiff(Surv(time, status) ~ x, data = aml)}
 *       printout (Expected 10.69 and 7.31, "Chisq= 3.4 on 1 degrees of freedom, p= 0.0653"), the example of its help
 *       page;</li>
 *   <li>the log-log band: R's {@code conf.type = "log-log"}, i.e. S^exp(&plusmn;1.96 se / |log S|), worked by hand from
 *       the Greenwood sums above (e.g. t = 9: S = 10/11, sum = 1/110, limits 0.5081 and 0.9867);</li>
 *   <li>medians: the first time S(t) &le; 0.5 (Miller 1981, p. 71; R's print.survfit): 31 and 23 weeks.</li>
 * </ul>
 */
class AmlSurvivalTest {

    static final String MAINTAINED = "9 13 13+ 18 23 28+ 31 34 45+ 48 161+";
    static final String NONMAINTAINED = "5 5 8 8 12 16+ 23 27 30 33 43 45";

    static List<TimeCounts> weeks(String data) {
        List<TimeCounts> subjects = new ArrayList<>();
        for (String value : data.split(" ")) {
            boolean censored = value.endsWith("+");
            subjects.add(TimeCounts.subject(Double.parseDouble(value.replace("+", "")), !censored));
        }
        return subjects;
    }

    @Test
    void maintainedGroupMatchesTheKaplanMeierTableOfTheLiterature() {
        SurvivalCurve curve = KaplanMeier.estimate(weeks(MAINTAINED), 0.95);
        assertEquals(11, curve.subjects());
        assertEquals(7, curve.events());
        // time, at risk, S(t), Greenwood SE (R summary.survfit)
        double[][] expected = {
                {9, 11, 0.9091, 0.0867}, {13, 10, 0.8182, 0.1163}, {18, 8, 0.7159, 0.1397}, {23, 7, 0.6136, 0.1526},
                {31, 5, 0.4909, 0.1642}, {34, 4, 0.3682, 0.1627}, {48, 2, 0.1841, 0.1535}};
        for (double[] row : expected) {
            SurvivalCurve.Step step = curve.stepAt(row[0]).orElseThrow();
            assertEquals(row[0], step.time());
            assertEquals((long) row[1], step.atRisk(), "at risk at " + row[0]);
            assertEquals(row[2], step.survival(), 5e-5, "S at " + row[0]);
            assertEquals(row[3], step.standardError(), 5e-5, "SE at " + row[0]);
        }
        assertEquals(0.1841, curve.survivalAt(161), 5e-5, "flat after the last event");
        assertEquals(1.0, curve.survivalAt(8.9));
    }

    @Test
    void nonmaintainedGroupFallsToZeroAtItsLastEvent() {
        SurvivalCurve curve = KaplanMeier.estimate(weeks(NONMAINTAINED), 0.95);
        double[][] expected = {
                {5, 12, 0.8333, 0.1076}, {8, 10, 0.6667, 0.1361}, {12, 8, 0.5833, 0.1423}, {23, 6, 0.4861, 0.1481},
                {27, 5, 0.3889, 0.1470}, {30, 4, 0.2917, 0.1387}, {33, 3, 0.1944, 0.1219}, {43, 2, 0.0972, 0.0919}};
        for (double[] row : expected) {
            SurvivalCurve.Step step = curve.stepAt(row[0]).orElseThrow();
            assertEquals((long) row[1], step.atRisk(), "at risk at " + row[0]);
            assertEquals(row[2], step.survival(), 5e-5, "S at " + row[0]);
            assertEquals(row[3], step.standardError(), 5e-5, "SE at " + row[0]);
        }
        SurvivalCurve.Step last = curve.stepAt(45).orElseThrow();
        assertEquals(0.0, last.survival());
        assertTrue(Double.isNaN(last.standardError()), "R prints NaN for the SE once S reaches 0");
        assertTrue(Double.isNaN(last.lower()));
    }

    @Test
    void logLogBandMatchesTheWorkedValues() {
        SurvivalCurve maintained = KaplanMeier.estimate(weeks(MAINTAINED), 0.95);
        assertBand(maintained, 9, 0.5081, 0.9867);
        assertBand(maintained, 31, 0.1673, 0.7534);
        assertBand(maintained, 48, 0.0117, 0.5250);
        SurvivalCurve nonmaintained = KaplanMeier.estimate(weeks(NONMAINTAINED), 0.95);
        assertBand(nonmaintained, 5, 0.4817, 0.9555);
        assertBand(nonmaintained, 33, 0.0312, 0.4614);
        // A censoring before the first event leaves the curve and its band at 1.
        SurvivalCurve early = KaplanMeier.estimate(weeks("2+ 4 6"), 0.95);
        SurvivalCurve.Step first = early.steps().get(0);
        assertEquals(1.0, first.survival());
        assertEquals(1.0, first.lower());
        assertEquals(1.0, first.upper());
    }

    private static void assertBand(SurvivalCurve curve, double time, double lower, double upper) {
        SurvivalCurve.Step step = curve.stepAt(time).orElseThrow();
        assertEquals(lower, step.lower(), 5e-5, "lower limit at " + time);
        assertEquals(upper, step.upper(), 5e-5, "upper limit at " + time);
    }

    @Test
    void mediansAndTheirLimitsAreReadOffTheCurveAndItsBand() {
        SurvivalCurve maintained = KaplanMeier.estimate(weeks(MAINTAINED), 0.95);
        assertEquals(31, maintained.median().getAsDouble());
        assertEquals(13, maintained.medianLower().getAsDouble());
        assertFalse(maintained.medianUpper().isPresent(), "the upper band never reaches 0.5 (R: NA)");
        SurvivalCurve nonmaintained = KaplanMeier.estimate(weeks(NONMAINTAINED), 0.95);
        assertEquals(23, nonmaintained.median().getAsDouble());
        assertEquals(5, nonmaintained.medianLower().getAsDouble());
        assertEquals(33, nonmaintained.medianUpper().getAsDouble());
    }

    @Test
    void numbersAtRiskCountThoseStillFollowed() {
        SurvivalCurve maintained = KaplanMeier.estimate(weeks(MAINTAINED), 0.95);
        assertEquals(11, maintained.atRisk(0));
        assertEquals(11, maintained.atRisk(9));
        assertEquals(10, maintained.atRisk(10));
        assertEquals(8, maintained.atRisk(14), "13 and 13+ have left");
        assertEquals(1, maintained.atRisk(100));
        assertEquals(0, maintained.atRisk(162));
    }

    @Test
    void logRankMatchesSurvdiff() {
        Map<String, List<TimeCounts>> groups = new LinkedHashMap<>();
        groups.put("Maintained", weeks(MAINTAINED));
        groups.put("Nonmaintained", weeks(NONMAINTAINED));
        LogRank.Result result = LogRank.test(groups);
        assertEquals(1, result.degreesOfFreedom());
        assertEquals(7, result.groups().get(0).observed());
        assertEquals(10.69, result.groups().get(0).expected(), 0.005);
        assertEquals(11, result.groups().get(1).observed());
        assertEquals(7.31, result.groups().get(1).expected(), 0.005);
        assertEquals(3.4, result.chiSquare(), 0.05);
        assertEquals(0.0653, result.pValue(), 0.00005);
    }

    @Test
    void aggregatedCountsGiveTheSameCurveAsOneRowPerSubject() {
        List<TimeCounts> aggregated = List.of(new TimeCounts(13, 1, 1), new TimeCounts(9, 1, 0),
                new TimeCounts(18, 1, 0), new TimeCounts(23, 1, 0), new TimeCounts(28, 0, 1), new TimeCounts(31, 1, 0),
                new TimeCounts(34, 1, 0), new TimeCounts(45, 0, 1), new TimeCounts(48, 1, 0), new TimeCounts(161, 0, 1));
        assertEquals(KaplanMeier.estimate(weeks(MAINTAINED), 0.95), KaplanMeier.estimate(aggregated, 0.95));
    }

    @Test
    void threeGroupsGiveTwoDegreesOfFreedom() {
        Map<String, List<TimeCounts>> groups = new LinkedHashMap<>();
        groups.put("a", weeks("1 2 3 4 5"));
        groups.put("b", weeks("2 4 6 8 10"));
        groups.put("c", weeks("5 10 15 20 25+"));
        LogRank.Result result = LogRank.test(groups);
        assertEquals(2, result.degreesOfFreedom());
        assertTrue(result.chiSquare() > 0);
        double observed = result.groups().stream().mapToDouble(LogRank.Group::observed).sum();
        double expected = result.groups().stream().mapToDouble(LogRank.Group::expected).sum();
        assertEquals(observed, expected, 1e-9, "expected events add up to the observed ones");
        assertTrue(Double.isNaN(LogRank.test(Map.of("only", weeks("1 2"))).chiSquare()), "one group: no test");
    }
}
