package org.ntx.timeline;

/**
 * What a medication means for naltrexone safety. The terminology layer assigns it from the medication's codes (RxNorm,
 * NDC, HCPCS) or, as a last resort, its text; the rules only ever look at this class, never at codes.
 */
public enum DrugClass {
    /** Oral naltrexone tablets: blockade of about 24/48/72 h after 50/100/150 mg (oral label, Clinical Pharmacology). */
    NALTREXONE_ORAL,
    /** Extended-release naltrexone 380 mg intramuscular injection: blockade about 28 days (Vivitrol PI §5.1). */
    NALTREXONE_EXTENDED_RELEASE,
    /** Olanzapine/samidorphan (Lybalvi): samidorphan blocks opioids (Lybalvi PI). */
    SAMIDORPHAN_COMBINATION,
    /** Bupropion/naltrexone (Contrave): contains extended-release naltrexone 8 mg, which blocks opioids. */
    BUPROPION_NALTREXONE,
    /** Short-acting opioid agonist or partial agonist (including agonist products with sequestered naltrexone). */
    OPIOID_SHORT_ACTING,
    /** Methadone, buprenorphine, extended-release and transdermal opioids: the longer opioid-free interval applies. */
    OPIOID_LONG_ACTING,
    /** Naloxone or nalmefene given to reverse an overdose. Not a blockade (short half-life, poor oral bioavailability). */
    OPIOID_REVERSAL_AGENT,
    /**
     * The record names naltrexone, another blocker or an opioid (in its codes or text) but cannot be classified: a
     * conflicting or incomplete description. The rules report it as data they could not read, never as "nothing".
     */
    UNCLASSIFIED,
    /** Anything else. */
    OTHER;

    /** True for the drugs whose presence means exogenous opioids are blocked. */
    public boolean blocksOpioids() {
        return this == NALTREXONE_ORAL || this == NALTREXONE_EXTENDED_RELEASE
                || this == SAMIDORPHAN_COMBINATION || this == BUPROPION_NALTREXONE;
    }

    /**
     * True for the products that contain naltrexone as an active (not sequestered) ingredient, the ones whose liver
     * warnings apply. Olanzapine/samidorphan is a blocker without naltrexone.
     */
    public boolean containsNaltrexone() {
        return this == NALTREXONE_ORAL || this == NALTREXONE_EXTENDED_RELEASE || this == BUPROPION_NALTREXONE;
    }

    /** True for opioid agonists and partial agonists of any duration. */
    public boolean isOpioid() {
        return this == OPIOID_SHORT_ACTING || this == OPIOID_LONG_ACTING;
    }
}
