package org.ntx.outcomes;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * The research definitions behind the treatment measures, in one place so a paper's methods section can quote them.
 * How long each record's drug is present (days' supply, the 30 days assumed for an oral dispense that states none,
 * orders on file) is not defined here: the measures read records through the rules' {@code MedicationExposure}, the
 * same reading as the CDS cards.
 *
 * @param injectionBlockade   how long one extended-release injection covers: 28 days (Vivitrol PI §5.1)
 * @param coverageGrace       a gap of at most this long between covered periods does not break continuous coverage:
 *                            7 days, so injections no more than 35 days apart count as continuous (the issue's
 *                            definition, matching the 35-day waning band of the CDS rules) and oral supply may run
 *                            out for up to a week
 * @param retentionDays       the retention time points: 30, 90 and 180 days after the start
 * @param pdcWindow           proportion of days covered is computed over the first 180 days (or up to the evaluation
 *                            date, whichever is earlier)
 * @param adherentPdc         a PDC of at least 0.8 counts as adherent, the conventional threshold for medication
 *                            adherence research
 * @param liverElevation      ALT or AST above this multiple of the upper limit of normal is an elevation: 3x, as in
 *                            the XR-naltrexone trials (REFERENCE.md §5)
 * @param overdoseFollowUp    overdose events count during treatment and this long after it ends: 90 days
 * @param inductionWindow     induction counts as successful when the first dose follows the first order within 30
 *                            days (issue 19, after X:BOT's induction outcome, Lee et al., Lancet 2018)
 * @param continuity          NQF 3175-style continuity: continuous coverage (gaps up to the grace period) for 180 days
 * @param continuityMinimumAge continuity is measured for patients of at least 18 at the start, as NQF 3175
 */
public record OutcomeDefinitions(
        Duration injectionBlockade,
        Duration coverageGrace,
        List<Integer> retentionDays,
        Duration pdcWindow,
        double adherentPdc,
        BigDecimal liverElevation,
        Duration overdoseFollowUp,
        Duration inductionWindow,
        Duration continuity,
        int continuityMinimumAge) {

    public static OutcomeDefinitions defaults() {
        return new OutcomeDefinitions(Duration.ofDays(28), Duration.ofDays(7), List.of(30, 90, 180),
                Duration.ofDays(180), 0.8, BigDecimal.valueOf(3), Duration.ofDays(90), Duration.ofDays(30),
                Duration.ofDays(180), 18);
    }

    /** The longest interval between two injections that still counts as on time: 28 + 7 = 35 days. */
    public Duration onTimeInjectionInterval() {
        return injectionBlockade.plus(coverageGrace);
    }
}
