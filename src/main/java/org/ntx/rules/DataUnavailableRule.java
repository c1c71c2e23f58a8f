package org.ntx.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.Shortfall;

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
                findings.add(finding(kind, input.timeline().shortfall(kind), unchecked));
            }
        }
        return findings;
    }

    private static Finding finding(DataKind kind, Shortfall shortfall, List<String> unchecked) {
        String summary = switch (shortfall) {
            case NOT_READ -> "Could not retrieve " + kind.label() + ": naltrexone safety checks are incomplete";
            case NOT_READ_IN_TIME -> "The " + kind.label() + " were not read in time: naltrexone safety checks are"
                    + " incomplete";
            case INCOMPLETE -> "Only part of the " + kind.label() + " could be read: naltrexone safety checks are"
                    + " incomplete";
        };
        String why = switch (shortfall) {
            case NOT_READ -> "could not be retrieved from the record";
            case NOT_READ_IN_TIME -> "did not arrive within the time this check may take (the record's server was"
                    + " too slow)";
            case INCOMPLETE -> "arrived only in part (the rest of the list could not be read)";
        };
        String detail = "The " + kind.label() + " " + why + ", so these checks may have missed something:\n\n"
                + String.join("", unchecked.stream().map(check -> "- " + check + "\n").toList())
                + "\nReview the " + kind.label() + " manually before acting.\n";
        return new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING, summary, detail, List.of(), List.of(),
                Set.of(), List.of(), Optional.of(kind));
    }
}
