package org.ntx.rules;

/** The moment in the clinician's workflow that asks for advice; it decides which rules apply. */
public enum Trigger {
    /** The chart is opened: status and overdose risk, no draft orders. */
    PATIENT_VIEW,
    /** A medication is picked but not yet signed. */
    ORDER_SELECT,
    /** Orders are about to be signed. */
    ORDER_SIGN
}
