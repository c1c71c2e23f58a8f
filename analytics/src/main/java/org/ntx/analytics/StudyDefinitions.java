package org.ntx.analytics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers behind the measure definitions (measures/README.md), the same as the server's OutcomeDefinitions and
 * Thresholds defaults, handed to the SQL as ${name} parameters. How long each record's drug is present (days' supply,
 * the 30 days of an oral dispense without one, orders on file, dose tails) is not here: the server's rules decide it
 * (RecordInterpretation, Thresholds.defaults()). One place, so the methods section can quote them.
 *
 * @param injectionDays         one extended-release injection covers 28 days (Vivitrol PI §5.1)
 * @param graceDays             gaps of up to 7 days do not break continuous coverage (issue 19; NQF 3175)
 * @param pdcWindowDays         proportion of days covered over the first 180 days
 * @param adherentPdc           PDC of 0.8 or more is adherent
 * @param liverElevation        ALT or AST above 3x the upper limit of normal (REFERENCE.md §5)
 * @param defaultAltUln         upper limit of normal for ALT without a reference range, U/L
 * @param defaultAstUln         the same for AST
 * @param overdoseFollowUpDays  overdoses count during treatment and 90 days after
 * @param inductionWindowDays   induction within 30 days of the first order
 * @param continuityDays        NQF 3175: at least 180 days of continuous pharmacotherapy
 */
public record StudyDefinitions(int injectionDays, int graceDays,
                               int pdcWindowDays, double adherentPdc, int liverElevation, int defaultAltUln,
                               int defaultAstUln, int overdoseFollowUpDays, int inductionWindowDays,
                               int continuityDays) {

    public static StudyDefinitions defaults() {
        return new StudyDefinitions(28, 7, 180, 0.8, 3, 40, 40, 90, 30, 180);
    }

    /** The SQL parameters for one run. */
    Map<String, String> parameters(JobOptions options) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("as_of_s", seconds(options.asOf()));
        p.put("period_start_s", seconds(options.periodStart()));
        p.put("period_end_s", seconds(options.periodEnd()));
        p.put("injection_days", Integer.toString(injectionDays));
        p.put("grace_days", Integer.toString(graceDays));
        p.put("pdc_window_days", Integer.toString(pdcWindowDays));
        p.put("adherent_pdc", Double.toString(adherentPdc));
        p.put("liver_elevation", Integer.toString(liverElevation));
        p.put("default_alt_uln", Integer.toString(defaultAltUln));
        p.put("default_ast_uln", Integer.toString(defaultAstUln));
        p.put("overdose_follow_up_days", Integer.toString(overdoseFollowUpDays));
        p.put("induction_window_days", Integer.toString(inductionWindowDays));
        p.put("continuity_days", Integer.toString(continuityDays));
        return p;
    }

    private static String seconds(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }
}
