package org.ntx.timeline;

/** The diagnoses the rules and outcome measures care about. */
public enum ConditionClass {
    OPIOID_USE_DISORDER,
    ALCOHOL_USE_DISORDER,
    ACUTE_HEPATITIS,
    LIVER_FAILURE,
    CIRRHOSIS,
    OPIOID_OVERDOSE,
    OPIOID_WITHDRAWAL,
    OTHER
}
