package org.ntx.outcomes;

/** The treatment measures, with their codes in the project's CodeSystem (group {@code outcome-measure}). */
public enum OutcomeMeasure {
    RETENTION_30("retention-30", "Retained in treatment at 30 days (continuous coverage)"),
    RETENTION_90("retention-90", "Retained in treatment at 90 days"),
    RETENTION_180("retention-180", "Retained in treatment at 180 days"),
    INJECTION_ON_TIME("injection-on-time", "Injections given no more than 35 days after the previous one"),
    ORAL_PDC_ADHERENT("oral-pdc-adherent", "Oral courses with a proportion of days covered of 0.8 or more"),
    RELAPSE_SIGNAL("relapse-signal", "Positive opioid urine screen, or opioid dispensed or administered, in treatment"),
    OPIOID_ORDER_DURING_BLOCKADE("opioid-order-during-blockade", "Patients with an opioid ordered during an active blockade"),
    LIVER_ELEVATION("liver-elevation", "ALT or AST above 3x the upper limit of normal during treatment"),
    OVERDOSE_EVENT("overdose-event", "Naloxone given or overdose diagnosed during treatment or within 90 days after"),
    INDUCTION_30("induction-30", "First dose within 30 days of the first naltrexone order"),
    CONTINUITY_180("continuity-180",
            "OUD pharmacotherapy continuous for at least 180 days without a gap of more than 7 days (NQF 3175 style)");

    private final String code;
    private final String display;

    OutcomeMeasure(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    static OutcomeMeasure retention(int days) {
        return switch (days) {
            case 30 -> RETENTION_30;
            case 90 -> RETENTION_90;
            case 180 -> RETENTION_180;
            default -> throw new IllegalArgumentException("No retention measure for day " + days);
        };
    }
}
