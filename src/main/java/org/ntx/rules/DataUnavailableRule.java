package org.ntx.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.DataKind;

/**
 * When data a rule needs could not be fetched, silence would read as "all clear" (topic {@code data-unavailable}).
 * One WARNING per missing kind, naming the checks that applied to this request and could not be completed; the other
 * rules still run on what is there. A missing kind that no applicable rule needs (for example conditions while an
 * opioid is ordered) is not reported: nothing was left unchecked.
 */
final class DataUnavailableRule {

    List<Finding> evaluate(RuleInput input, List<NaltrexoneRule> applicable) {
        List<Finding> findings = new ArrayList<>();
        for (DataKind kind : DataKind.values()) {
            if (input.timeline().isAvailable(kind)) {
                continue;
            }
            List<String> unchecked = applicable.stream()
                    .filter(rule -> rule.needs().contains(kind))
                    .map(NaltrexoneRule::checks)
                    .toList();
            if (!unchecked.isEmpty()) {
                findings.add(finding(kind, unchecked));
            }
        }
        return findings;
    }

    private static Finding finding(DataKind kind, List<String> unchecked) {
        String summary = "Could not retrieve " + kind.label() + ": naltrexone safety checks are incomplete";
        String detail = "The " + kind.label() + " could not be retrieved from the record, so these checks may have"
                + " missed something:\n\n"
                + String.join("", unchecked.stream().map(check -> "- " + check + "\n").toList())
                + "\nReview the " + kind.label() + " manually before acting.\n";
        return new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING, summary, detail, List.of(), List.of(),
                Set.of(), List.of(), Optional.of(kind));
    }
}
