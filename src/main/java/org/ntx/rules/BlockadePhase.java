package org.ntx.rules;

/** Where the patient stands with opioid blockade at an instant. */
public enum BlockadePhase {
    /** Opioids are blocked: within 28 days of an injection, or oral/combination supply plus its tail. */
    ACTIVE,
    /** Past day 28 of the last injection but within the waning band: partial, unreliable blockade. */
    WANING,
    /** A blocker was taken before and has worn off: tolerance is lost. */
    LAPSED,
    /** No blocker in the record at all. */
    NONE
}
