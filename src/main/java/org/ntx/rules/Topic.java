package org.ntx.rules;

/** What a finding is about. The codes match the project's CodeSystem and must not change. */
public enum Topic {
    OPIOID_BLOCKADE_CONFLICT("opioid-blockade-conflict"),
    INDUCTION_WINDOW("induction-window"),
    LIVER_FUNCTION("liver-function"),
    OVERDOSE_RISK("overdose-risk"),
    TREATMENT_STATUS("treatment-status"),
    DATA_UNAVAILABLE("data-unavailable");

    private final String code;

    Topic(String code) {
        this.code = code;
    }

    /** The code in the project's CodeSystem. */
    public String code() {
        return code;
    }
}
