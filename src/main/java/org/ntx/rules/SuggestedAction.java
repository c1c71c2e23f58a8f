package org.ntx.rules;

/** What the clinician could do about a finding; the CDS layer turns each into a card suggestion. */
public enum SuggestedAction {
    /** Delete the draft order(s) named in the finding. */
    REMOVE_DRAFT_ORDER,
    /** Order a hepatic function panel (LOINC 24325-3). */
    ORDER_HEPATIC_FUNCTION_PANEL,
    /** Prescribe an opioid overdose reversal agent (naloxone). */
    PRESCRIBE_NALOXONE,
    /** Perform a naloxone challenge before starting the antagonist. */
    NALOXONE_CHALLENGE
}
