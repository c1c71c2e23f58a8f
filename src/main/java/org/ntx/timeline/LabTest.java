package org.ntx.timeline;

/** The laboratory results the rules read: liver function tests and opioid urine drug screens. */
public enum LabTest {
    ALT,
    AST,
    ALKALINE_PHOSPHATASE,
    GGT,
    TOTAL_BILIRUBIN,
    HEPATIC_FUNCTION_PANEL,
    OPIOID_URINE_SCREEN,
    OTHER;

    public boolean isLiverTest() {
        return this != OPIOID_URINE_SCREEN && this != OTHER;
    }
}
