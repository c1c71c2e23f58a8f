package org.ntx.rules;

/**
 * The clinical sources behind the thresholds, as compiled in the project's clinical reference
 * ({@code shared/clinical/REFERENCE.md}, 2026-11-23). A finding names the ones its numbers come from, so the card can
 * show them and a reviewer can check them. Entries marked "design choice" are configurable service defaults, not label
 * text.
 */
public enum Citation {

    /** REFERENCE.md §1. */
    VIVITROL_BLOCKADE("Vivitrol (naltrexone ER) PI, rev. 12/2025, §5.1: blocks exogenous opioids for approximately"
            + " 28 days"),
    /** REFERENCE.md §1. */
    VIVITROL_DOSING("Vivitrol PI §2: 380 mg IM every 4 weeks; after a missed dose give the next one as soon as"
            + " possible"),
    /** REFERENCE.md §1, "CDS design implication". */
    WANING_BAND("Design choice (configurable): waning band to day 35 after an injection, because naltrexone stays"
            + " measurable for more than a month (vivitrolhcp.com PK) and risk peaks at the end of the interval"
            + " (Vivitrol PI §5.1)"),
    /** REFERENCE.md §1. */
    ORAL_BLOCKADE("Naltrexone HCl tablets label, Clinical Pharmacology: 50 mg blocks opioids up to 24 h, 100 mg 48 h,"
            + " 150 mg about 72 h"),
    /** REFERENCE.md §7: no blockade duration for the combination products was retrieved. */
    COMBINATION_BLOCKADE("Design choice (configurable): olanzapine/samidorphan (Lybalvi PI) and bupropion/naltrexone"
            + " block opioids while taken; the 24 h oral naltrexone tail is applied after the supply ends"),
    /** REFERENCE.md §4. */
    PAIN_MANAGEMENT("Naltrexone tablets label, Precautions (reversal of blockade for pain management); ASAM National"
            + " Practice Guideline 2015 pp.16, 21"),
    /** REFERENCE.md §2. */
    OPIOID_FREE_INTERVAL("Vivitrol PI §2, §5.3 and naltrexone tablets label: opioid-free for at least 7-10 days;"
            + " after buprenorphine or methadone precipitated withdrawal is possible for up to two weeks"),
    /** REFERENCE.md §2. */
    ORAL_CONTRAINDICATIONS("Naltrexone tablets label, Contraindications: patients receiving opioid analgesics,"
            + " current opioid dependence, positive urine opioid screen, failed naloxone challenge"),
    /** REFERENCE.md §7. */
    LYBALVI_OPIOID_FREE_INTERVAL("Lybalvi (olanzapine/samidorphan) PI: start at least 7 days after short-acting and"
            + " at least 14 days after long-acting opioids"),
    /** REFERENCE.md §2 and the severity choice documented on InductionWindowRule. */
    INDUCTION_SEVERITY("Design choice (configurable): an opioid still supplied, or taken within the last 3 days, is"
            + " treated as 'receiving opioids' (contraindication) and raised to critical"),
    /** REFERENCE.md §5. */
    HEPATOTOXICITY("Vivitrol PI §5.4 Hepatotoxicity; older oral naltrexone labels contraindicated acute hepatitis or"
            + " liver failure (removed from Vivitrol 7/2013, so configurable)"),
    /** REFERENCE.md §5. */
    TRIAL_LIVER_EXCLUSION("XR-naltrexone trials excluded ALT/AST > 3x ULN (BMC Psychiatry 2005;5:18, Table 1; Lucey"
            + " et al., Alcohol Clin Exp Res 2008;32(3))"),
    /** REFERENCE.md §5, "design suggestion". */
    LIVER_CRITICAL_MULTIPLE("Design choice (configurable): ALT/AST > 5x ULN is critical; the 5x hard stop is a design"
            + " suggestion, not label text"),
    /** REFERENCE.md §5. */
    LIVER_MONITORING("Practice, not label: liver tests before starting naltrexone (SAMHSA AUD consensus work-up);"
            + " 90-day look-back and default ULNs are configurable service defaults"),
    /** REFERENCE.md §3. */
    OVERDOSE_AFTER_LAPSE("Vivitrol PI §5.1 and tablets label Warnings: tolerance is lost after naltrexone stops;"
            + " Vivitrol PI §2.2: strongly consider prescribing naloxone"),
    /** Label sections found with the search tool (DailyMed, openFDA, manufacturer pages); see README CDS section. */
    PRODUCT_EXPOSURE("Product exposure ends the opioid-free clock: Sublocade PI §2 (monthly, at least 26 days between"
            + " doses); Brixadi PI §2 (weekly and monthly formulations); Probuphine PI §2 (implants for 6 months,"
            + " removed by the end of the sixth month); transdermal systems per their RxNorm wear time (72 h fentanyl,"
            + " 168 h buprenorphine); methadone maintenance once daily"),
    /** Vivitrol PI §4 and §7 (openFDA label), tablets label Contraindications (REFERENCE.md §2). */
    CONCURRENT_ORDERS("Vivitrol PI §4 Contraindications (patients receiving opioid analgesics) and §7 Drug"
            + " Interactions (naltrexone antagonizes opioid-containing medicines); naltrexone tablets label,"
            + " Contraindications"),
    /** Thresholds#orderOnFileAfter. */
    ORDER_ON_FILE("Design choice (configurable, ntx.rules.order-on-file-after, 90 days): an active order that no"
            + " dispense, administration or statement has supported for 90 days is an order on file, not known to be"
            + " taken; findings resting on it are warnings at most"),
    /** README CDS section. */
    TEXT_ONLY("Design choice: a finding that rests only on records recognised from their text, not their codes, is a"
            + " warning at most");

    private final String text;

    Citation(String text) {
        this.text = text;
    }

    /** The citation as it should appear on a card. */
    public String text() {
        return text;
    }
}
