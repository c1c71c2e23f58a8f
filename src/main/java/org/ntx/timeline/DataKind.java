package org.ntx.timeline;

/**
 * The kinds of data the transport layer fetches for a timeline. A kind listed as unavailable means the fetch failed or
 * was refused, so an empty list of that kind proves nothing.
 */
public enum DataKind {
    /** MedicationRequest, MedicationDispense, MedicationAdministration, MedicationStatement. */
    MEDICATIONS("medications"),
    /** Laboratory Observations: liver function tests and urine drug screens. */
    OBSERVATIONS("laboratory results"),
    /** Conditions: liver disease. */
    CONDITIONS("conditions");

    private final String label;

    DataKind(String label) {
        this.label = label;
    }

    /** Lower-case plural for sentences: "laboratory results". */
    public String label() {
        return label;
    }
}
