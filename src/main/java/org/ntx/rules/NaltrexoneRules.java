package org.ntx.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.ntx.timeline.PatientTimeline;

/**
 * The naltrexone safety rules that run, listed in one place, and the entry point for the CDS and status layers.
 *
 * <p>Pure: {@link #evaluate(RuleInput)} depends only on its input and the thresholds given at construction; it reads
 * no clock and does no I/O. Findings come most severe first; among equals, data-unavailable findings come first, then
 * the rules' findings in the order the rules are listed.
 */
public final class NaltrexoneRules {

    private final Thresholds thresholds;
    private final List<NaltrexoneRule> rules;
    private final DataUnavailableRule dataUnavailable = new DataUnavailableRule();

    public NaltrexoneRules(Thresholds thresholds) {
        this.thresholds = thresholds;
        OpioidBlockade blockade = new OpioidBlockade(thresholds);
        this.rules = List.of(
                new OpioidBlockadeConflictRule(blockade, thresholds),
                new InductionWindowRule(thresholds),
                new LiverFunctionRule(thresholds),
                new OverdoseRiskRule(blockade, thresholds),
                new TreatmentStatusRule(thresholds),
                new UnreadableMedicationRule());
    }

    /** All findings for this request; never empty merely because data was missing. */
    public List<Finding> evaluate(RuleInput input) {
        List<NaltrexoneRule> applicable = rules.stream().filter(rule -> rule.appliesTo(input)).toList();
        List<Finding> findings = new ArrayList<>(dataUnavailable.evaluate(input, applicable));
        applicable.forEach(rule -> findings.addAll(rule.evaluate(input)));
        findings.sort(Comparator.comparing(Finding::severity).reversed());
        return List.copyOf(findings);
    }

    /** The {@code $naltrexone-status} summary. */
    public NaltrexoneStatus status(PatientTimeline timeline, Instant asOf) {
        return NaltrexoneStatus.of(timeline, asOf, thresholds);
    }

    public Thresholds thresholds() {
        return thresholds;
    }
}
