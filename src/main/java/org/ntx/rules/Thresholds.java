package org.ntx.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Every number the rules use, in one immutable record. {@link #defaults()} gives the values below; the Spring layer
 * binds overrides from properties into the canonical constructor. Sources are tagged as in
 * {@code shared/clinical/REFERENCE.md}.
 *
 * @param extendedReleaseBlockade  blockade after an XR-naltrexone injection: 28 days. Vivitrol PI §5.1 "blocks the
 *                                 effects of exogenous opioids for approximately 28 days" (REFERENCE.md §1).
 * @param extendedReleaseWaningEnd end of the waning band, counted from the injection: 35 days. Design choice from
 *                                 REFERENCE.md §1: levels stay measurable beyond a month (vivitrolhcp.com PK) and the
 *                                 label stresses end-of-interval risk (Vivitrol PI §5.1).
 * @param injectionInterval        when the next injection is due after the last one: 28 days. Vivitrol PI §2 "every 4
 *                                 weeks or once a month" (REFERENCE.md §1).
 * @param oralTail50Mg             blockade after the last oral dose of 50 mg or less, and of unknown strength: 24 h.
 *                                 Naltrexone tablets label, Clinical Pharmacology (REFERENCE.md §1). Unknown strength
 *                                 gets this value because the only US tablet is 50 mg and 50 mg daily is the labelled
 *                                 dose; the 100/150 mg schedules are supervised and then carry a recorded dose.
 * @param oralTail100Mg            blockade after a 100 mg oral dose: 48 h ("doubling the dose", same label section).
 * @param oralTail150Mg            blockade after a 150 mg oral dose: 72 h ("tripling", same label section).
 * @param combinationTail          blockade after the supply of olanzapine/samidorphan or bupropion/naltrexone ends:
 *                                 24 h. Design choice: no duration for these products was retrieved (REFERENCE.md
 *                                 §7), so the oral naltrexone 50 mg figure is borrowed for these once-daily products.
 * @param shortActingOpioidFreeWindow opioid-free interval before an antagonist after short-acting opioids: 7 days.
 *                                 Vivitrol PI §2/§5.3 and tablets label "7-10 days" (REFERENCE.md §2); the lower end,
 *                                 because a naloxone challenge is suggested in any case.
 * @param longActingOpioidFreeWindow interval after methadone, buprenorphine, extended-release or transdermal opioids:
 *                                 10 days, configurable up to 14. "Vulnerable ... for as long as two weeks" (Vivitrol
 *                                 PI §5.3); "10-14 days" attributed to TIP 63 [weak] (REFERENCE.md §2).
 * @param samidorphanLongActingOpioidFreeWindow the same interval before olanzapine/samidorphan: 14 days, Lybalvi PI
 *                                 (REFERENCE.md §7). The longer of this and the general window applies to Lybalvi.
 * @param positiveScreenWindow     a positive opioid urine screen counts as exposure on its collection date, followed
 *                                 by this window: 7 days. The screen cannot tell which opioid, and a positive screen is
 *                                 itself a contraindication (tablets label, REFERENCE.md §2); the short-acting window
 *                                 is used because a medication record, when there is one, supplies the long-acting
 *                                 window itself.
 * @param inductionCriticalRecency an opioid exposure this recent (or still supplied) makes the induction finding
 *                                 critical: 3 days. Design choice: the tablets label contraindicates naltrexone in
 *                                 "patients receiving opioid analgesics" (REFERENCE.md §2); an exposure that is ongoing
 *                                 or days old is treated as receiving.
 * @param liverWarningMultiple     ALT or AST above this multiple of the upper limit of normal warns: 3. XR-naltrexone
 *                                 trials excluded &gt; 3x ULN (BMC Psychiatry 2005;5:18; Lucey 2008) (REFERENCE.md §5).
 * @param liverCriticalMultiple    above this multiple it is critical: 5. Design suggestion in REFERENCE.md §5, not
 *                                 label text.
 * @param defaultAltUpperLimit     ULN for ALT in U/L when the result carries no reference range: 40. A commonly used
 *                                 laboratory limit; a configurable default, not from any label.
 * @param defaultAstUpperLimit     ULN for AST in U/L when the result carries no reference range: 40. Same caveat.
 * @param hepaticConditionSeverity severity for an active acute hepatitis or liver failure: WARNING. Older oral labels
 *                                 made it a contraindication, Vivitrol removed that in 7/2013 (REFERENCE.md §5); sites
 *                                 that follow the older labels set CRITICAL.
 * @param liverTestLookback        without an ALT or AST this recent, suggest a hepatic panel: 90 days. Design choice;
 *                                 pre-treatment liver tests are practice (SAMHSA AUD work-up [weak], REFERENCE.md §5).
 * @param overdoseLookback         a blockade that lapsed within this period means lost tolerance worth a warning: 90
 *                                 days. Design choice; the label warns after stopping without a time limit (Vivitrol
 *                                 PI §5.1, tablets label Warnings, REFERENCE.md §3), and an alert must end somewhere.
 * @param orderOnFileAfter         evidence strength of an "active" order: it counts as the drug being taken for this
 *                                 long after it was written, or after the latest dispense, administration or statement
 *                                 of the same drug that supports it: 90 days. Past that, an order whose stated supply,
 *                                 refills or validity (or none at all) would reach today is only an "order on file, not
 *                                 known to be taken": its findings are warnings at most and give the order's date.
 *                                 Design choice (REFERENCE.md §1 has no figure): 90 days covers the longest usual
 *                                 outpatient fill (a 90-day supply) and the usual 30-day fill plus two missed refills;
 *                                 an EHR leaves PRN and discontinued-in-practice orders "active" for years.
 */
public record Thresholds(
        Duration extendedReleaseBlockade,
        Duration extendedReleaseWaningEnd,
        Duration injectionInterval,
        Duration oralTail50Mg,
        Duration oralTail100Mg,
        Duration oralTail150Mg,
        Duration combinationTail,
        Duration shortActingOpioidFreeWindow,
        Duration longActingOpioidFreeWindow,
        Duration samidorphanLongActingOpioidFreeWindow,
        Duration positiveScreenWindow,
        Duration inductionCriticalRecency,
        BigDecimal liverWarningMultiple,
        BigDecimal liverCriticalMultiple,
        BigDecimal defaultAltUpperLimit,
        BigDecimal defaultAstUpperLimit,
        Severity hepaticConditionSeverity,
        Duration liverTestLookback,
        Duration overdoseLookback,
        Duration orderOnFileAfter) {

    private static final BigDecimal ONE_HUNDRED_MG = BigDecimal.valueOf(100);
    private static final BigDecimal ONE_HUNDRED_FIFTY_MG = BigDecimal.valueOf(150);

    public Thresholds {
        positive(extendedReleaseBlockade, "extendedReleaseBlockade");
        positive(extendedReleaseWaningEnd, "extendedReleaseWaningEnd");
        positive(injectionInterval, "injectionInterval");
        positive(oralTail50Mg, "oralTail50Mg");
        positive(oralTail100Mg, "oralTail100Mg");
        positive(oralTail150Mg, "oralTail150Mg");
        positive(combinationTail, "combinationTail");
        positive(shortActingOpioidFreeWindow, "shortActingOpioidFreeWindow");
        positive(longActingOpioidFreeWindow, "longActingOpioidFreeWindow");
        positive(samidorphanLongActingOpioidFreeWindow, "samidorphanLongActingOpioidFreeWindow");
        positive(positiveScreenWindow, "positiveScreenWindow");
        positive(inductionCriticalRecency, "inductionCriticalRecency");
        positive(liverWarningMultiple, "liverWarningMultiple");
        positive(liverCriticalMultiple, "liverCriticalMultiple");
        positive(defaultAltUpperLimit, "defaultAltUpperLimit");
        positive(defaultAstUpperLimit, "defaultAstUpperLimit");
        Objects.requireNonNull(hepaticConditionSeverity, "hepaticConditionSeverity");
        positive(liverTestLookback, "liverTestLookback");
        positive(overdoseLookback, "overdoseLookback");
        positive(orderOnFileAfter, "orderOnFileAfter");
        if (extendedReleaseWaningEnd.compareTo(extendedReleaseBlockade) < 0) {
            throw new IllegalArgumentException("extendedReleaseWaningEnd must not be shorter than the blockade");
        }
        if (longActingOpioidFreeWindow.compareTo(shortActingOpioidFreeWindow) < 0) {
            throw new IllegalArgumentException("the long-acting opioid-free window must not be shorter than the"
                    + " short-acting one");
        }
        if (liverCriticalMultiple.compareTo(liverWarningMultiple) < 0) {
            throw new IllegalArgumentException("liverCriticalMultiple must not be below liverWarningMultiple");
        }
    }

    /** The values documented on each component. */
    public static Thresholds defaults() {
        return new Thresholds(
                Duration.ofDays(28),
                Duration.ofDays(35),
                Duration.ofDays(28),
                Duration.ofHours(24),
                Duration.ofHours(48),
                Duration.ofHours(72),
                Duration.ofHours(24),
                Duration.ofDays(7),
                Duration.ofDays(10),
                Duration.ofDays(14),
                Duration.ofDays(7),
                Duration.ofDays(3),
                BigDecimal.valueOf(3),
                BigDecimal.valueOf(5),
                BigDecimal.valueOf(40),
                BigDecimal.valueOf(40),
                Severity.WARNING,
                Duration.ofDays(90),
                Duration.ofDays(90),
                Duration.ofDays(90));
    }

    /** The 19-value form of the first releases: {@link #orderOnFileAfter()} gets its default. */
    public Thresholds(Duration extendedReleaseBlockade, Duration extendedReleaseWaningEnd, Duration injectionInterval,
            Duration oralTail50Mg, Duration oralTail100Mg, Duration oralTail150Mg, Duration combinationTail,
            Duration shortActingOpioidFreeWindow, Duration longActingOpioidFreeWindow,
            Duration samidorphanLongActingOpioidFreeWindow, Duration positiveScreenWindow,
            Duration inductionCriticalRecency, BigDecimal liverWarningMultiple, BigDecimal liverCriticalMultiple,
            BigDecimal defaultAltUpperLimit, BigDecimal defaultAstUpperLimit, Severity hepaticConditionSeverity,
            Duration liverTestLookback, Duration overdoseLookback) {
        this(extendedReleaseBlockade, extendedReleaseWaningEnd, injectionInterval, oralTail50Mg, oralTail100Mg,
                oralTail150Mg, combinationTail, shortActingOpioidFreeWindow, longActingOpioidFreeWindow,
                samidorphanLongActingOpioidFreeWindow, positiveScreenWindow, inductionCriticalRecency,
                liverWarningMultiple, liverCriticalMultiple, defaultAltUpperLimit, defaultAstUpperLimit,
                hepaticConditionSeverity, liverTestLookback, overdoseLookback, Duration.ofDays(90));
    }

    /** A copy with a different long-acting opioid-free window (sites following "up to two weeks" set 14 days). */
    public Thresholds withLongActingOpioidFreeWindow(Duration window) {
        return new Thresholds(extendedReleaseBlockade, extendedReleaseWaningEnd, injectionInterval, oralTail50Mg,
                oralTail100Mg, oralTail150Mg, combinationTail, shortActingOpioidFreeWindow, window,
                samidorphanLongActingOpioidFreeWindow, positiveScreenWindow, inductionCriticalRecency,
                liverWarningMultiple, liverCriticalMultiple, defaultAltUpperLimit, defaultAstUpperLimit,
                hepaticConditionSeverity, liverTestLookback, overdoseLookback, orderOnFileAfter);
    }

    /** A copy with a different severity for active acute hepatitis or liver failure. */
    public Thresholds withHepaticConditionSeverity(Severity severity) {
        return new Thresholds(extendedReleaseBlockade, extendedReleaseWaningEnd, injectionInterval, oralTail50Mg,
                oralTail100Mg, oralTail150Mg, combinationTail, shortActingOpioidFreeWindow, longActingOpioidFreeWindow,
                samidorphanLongActingOpioidFreeWindow, positiveScreenWindow, inductionCriticalRecency,
                liverWarningMultiple, liverCriticalMultiple, defaultAltUpperLimit, defaultAstUpperLimit, severity,
                liverTestLookback, overdoseLookback, orderOnFileAfter);
    }

    /** A copy with a different evidence window for unsupported active orders. */
    public Thresholds withOrderOnFileAfter(Duration window) {
        return new Thresholds(extendedReleaseBlockade, extendedReleaseWaningEnd, injectionInterval, oralTail50Mg,
                oralTail100Mg, oralTail150Mg, combinationTail, shortActingOpioidFreeWindow, longActingOpioidFreeWindow,
                samidorphanLongActingOpioidFreeWindow, positiveScreenWindow, inductionCriticalRecency,
                liverWarningMultiple, liverCriticalMultiple, defaultAltUpperLimit, defaultAstUpperLimit,
                hepaticConditionSeverity, liverTestLookback, overdoseLookback, window);
    }

    /** The blockade after the last oral naltrexone dose of this strength; unknown strength as 50 mg. */
    public Duration oralTail(Optional<BigDecimal> doseMg) {
        if (doseMg.isEmpty()) {
            return oralTail50Mg;
        }
        BigDecimal dose = doseMg.get();
        if (dose.compareTo(ONE_HUNDRED_FIFTY_MG) >= 0) {
            return oralTail150Mg;
        }
        if (dose.compareTo(ONE_HUNDRED_MG) >= 0) {
            return oralTail100Mg;
        }
        return oralTail50Mg;
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(BigDecimal value, String name) {
        Objects.requireNonNull(value, name);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
