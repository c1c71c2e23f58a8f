package org.ntx.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;

/**
 * The blockade has worn off recently (topic {@code overdose-risk}): after naltrexone stops, patients respond to lower
 * opioid doses than before and a previously tolerated dose can be fatal (Vivitrol PI §5.1; tablets label Warnings,
 * "Vulnerability to Opioid Overdose"; REFERENCE.md §3). Vivitrol PI §2.2 asks prescribers to strongly consider an
 * overdose reversal agent; §2 says to give a missed injection as soon as possible.
 *
 * <p>WARNING when the blockade is no longer active (more than 28 days after the last injection, including the waning
 * band, or after oral supply plus its tail) and it lapsed within {@link Thresholds#overdoseLookback()} (90 days,
 * design choice). For an injection the finding says how many days it is overdue (days since the injection minus
 * {@link Thresholds#injectionInterval()}). Quiet while the blockade is active, after a lapse longer ago than the
 * look-back, and for patients never on a blocker. Runs on patient-view and when an opioid is being ordered.
 */
final class OverdoseRiskRule implements NaltrexoneRule {

    private final OpioidBlockade blockade;
    private final Thresholds thresholds;

    OverdoseRiskRule(OpioidBlockade blockade, Thresholds thresholds) {
        this.blockade = blockade;
        this.thresholds = thresholds;
    }

    @Override
    public Topic topic() {
        return Topic.OVERDOSE_RISK;
    }

    @Override
    public List<Citation> citations() {
        return List.of(Citation.OVERDOSE_AFTER_LAPSE, Citation.VIVITROL_BLOCKADE, Citation.ORAL_BLOCKADE, Citation.COMBINATION_BLOCKADE, Citation.VIVITROL_DOSING);
    }

    @Override
    public List<String> thresholds() {
        return List.of("overdoseLookback", "extendedReleaseBlockade", "oralTail50Mg", "combinationTail");
    }

    @Override
    public String checks() {
        return "overdose risk after naltrexone lapse";
    }

    @Override
    public Set<DataKind> needs() {
        return Set.of(DataKind.MEDICATIONS);
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return input.trigger() == Trigger.PATIENT_VIEW || input.hasOpioidDraft();
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        Instant asOf = input.asOf();
        BlockadeState state = blockade.asOf(input.timeline(), asOf);
        boolean recentLapse = state.lapsedFor(asOf)
                .filter(lapsed -> lapsed.compareTo(thresholds.overdoseLookback()) <= 0)
                .isPresent();
        if (!recentLapse) {
            return List.of();
        }
        DrugClass formulation = state.formulation().orElseThrow();
        String summary;
        List<Citation> citations = new ArrayList<>(List.of(Citation.OVERDOSE_AFTER_LAPSE));
        if (formulation == DrugClass.NALTREXONE_EXTENDED_RELEASE) {
            Instant injection = state.lastInjection().orElseThrow();
            long overdue = ClinicalText.daysBetween(injection.plus(thresholds.injectionInterval()), asOf);
            summary = "Naltrexone injection overdue by " + ClinicalText.days(overdue)
                    + ": opioid tolerance is lost, overdose risk is high";
            citations.add(Citation.VIVITROL_BLOCKADE);
            citations.add(Citation.VIVITROL_DOSING);
        } else {
            Duration lapsed = state.lapsedFor(asOf).orElseThrow();
            summary = ClinicalText.formulation(formulation) + " blockade ended " + ClinicalText.days(lapsed.toDays())
                    + " ago: opioid tolerance is lost, overdose risk is high";
            summary = Character.toUpperCase(summary.charAt(0)) + summary.substring(1);
            citations.addAll(OpioidBlockadeConflictRule.citationsFor(formulation));
        }
        String detail = "Opioid blockade from " + ClinicalText.formulation(formulation) + " ended on "
                + ClinicalText.date(state.activeUntil().orElseThrow()) + ".\n\n"
                + "- After naltrexone, a dose of opioid the patient used to tolerate can be fatal.\n"
                + "- Prescribe naloxone and make sure the patient and family know how to use it.\n"
                + (formulation == DrugClass.NALTREXONE_EXTENDED_RELEASE
                        ? "- Give the missed injection as soon as possible if treatment continues.\n"
                        : "");
        List<MedicationEvent> opioidDrafts = input.draftOrders().stream()
                .filter(draft -> draft.drugClass().isOpioid())
                .toList();
        return List.of(Finding.clinical(topic(), Severity.WARNING, summary, detail, state.evidence(), citations,
                List.of(SuggestedAction.PRESCRIBE_NALOXONE),
                opioidDrafts.stream().map(MedicationEvent::source).toList()));
    }
}
