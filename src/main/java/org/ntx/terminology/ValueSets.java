package org.ntx.terminology;

import org.ntx.profiles.Canonicals;

/** Canonical URLs of the value sets our FHIR package ships and the classifiers read. */
public final class ValueSets {

    private static final String BASE = Canonicals.BASE + "/ValueSet/";

    public static final String NALTREXONE_PRODUCTS = BASE + "naltrexone-products";
    public static final String OPIOID_BLOCKING_DRUGS = BASE + "opioid-blocking-drugs";
    public static final String OPIOID_AGONISTS = BASE + "opioid-agonists";
    public static final String OPIOID_AGONISTS_WITH_SEQUESTERED_ANTAGONIST =
            BASE + "opioid-agonists-with-sequestered-antagonist";
    public static final String LONG_ACTING_OPIOIDS = BASE + "long-acting-opioids";
    public static final String LIVER_TESTS = BASE + "liver-tests";
    public static final String OPIOID_URINE_DRUG_SCREENS = BASE + "opioid-urine-drug-screens";
    public static final String LIVER_CONDITIONS = BASE + "liver-conditions";
    public static final String OUD_AUD_CONDITIONS = BASE + "oud-aud-conditions";

    private ValueSets() {}
}
