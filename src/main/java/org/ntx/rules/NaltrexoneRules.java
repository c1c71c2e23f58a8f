package org.ntx.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** What each topic's card rests on, in the order the rules are listed; the data-unavailable card last. */
    public List<TopicBasis> basis() {
        List<TopicBasis> basis = new ArrayList<>();
        for (NaltrexoneRule rule : rules) {
            if (rule.topic() == Topic.DATA_UNAVAILABLE) {
                continue; // described once, below
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (String name : rule.thresholds()) {
                values.put(name, thresholdValue(name));
            }
            basis.add(new TopicBasis(rule.topic(), rule.checks(), values, rule.citations()));
        }
        basis.add(new TopicBasis(Topic.DATA_UNAVAILABLE, "whether the data each check needs could be read, and whether each medication could be classified",
                Map.of(), List.of()));
        return List.copyOf(basis);
    }

    private String thresholdValue(String name) {
        for (java.lang.reflect.RecordComponent component : Thresholds.class.getRecordComponents()) {
            if (component.getName().equals(name)) {
                try {
                    Object value = component.getAccessor().invoke(thresholds);
                    return value instanceof java.time.Duration d ? describe(d) : String.valueOf(value);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read threshold " + name, e);
                }
            }
        }
        throw new IllegalStateException("A rule names a threshold that does not exist: " + name);
    }

    private static String describe(java.time.Duration duration) {
        return duration.toHours() % 24 == 0 ? duration.toDays() + " days" : duration.toHours() + " hours";
    }
}
