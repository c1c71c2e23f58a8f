package org.ntx.rules;

import org.ntx.timeline.DataKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records that are stored but could not be read are named, never silently missing: on the data-unavailable finding
 * of their kind of data when there is one, and otherwise on a finding of their own (even where no applicable check
 * needed that kind, the record is damaged and someone should look at it). The other findings are left as they are,
 * so the checks still speak on what could be read.
 */
public final class UnreadableRecords {

    private UnreadableRecords() {}

    /** {@code findings} with the unreadable records named; the same list when there are none. */
    public static List<Finding> named(List<Finding> findings, Map<DataKind, List<String>> unreadable) {
        if (unreadable.isEmpty()) {
            return findings;
        }
        List<Finding> named = new ArrayList<>();
        List<String> unnamed = new ArrayList<>();
        unreadable.values().forEach(unnamed::addAll);
        for (Finding finding : findings) {
            Optional<DataKind> kind = finding.unavailableData();
            List<String> references = kind.map(k -> unreadable.getOrDefault(k, List.of())).orElse(List.of());
            if (finding.topic() == Topic.DATA_UNAVAILABLE && !references.isEmpty()) {
                unnamed.removeAll(references);
                named.add(new Finding(finding.topic(), finding.severity(), finding.summary(), finding.detail()
                        + "\nThese records are stored but could not be read: " + String.join(", ", references)
                        + ". The other checks used the rest of the record.\n", finding.evidence(),
                        finding.citations(), finding.suggestions(), finding.draftOrders(), finding.unavailableData()));
            } else {
                named.add(finding);
            }
        }
        if (!unnamed.isEmpty()) {
            named.add(new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING,
                    "Some stored records could not be read: the record may be incomplete",
                    "These records are stored for this patient but could not be read: " + String.join(", ", unnamed)
                            + ".\n\nThe checks used the rest of the record; review these records manually and have"
                            + " them repaired.\n",
                    List.of(), List.of(), Set.of(), List.of(), Optional.empty()));
        }
        return named;
    }
}
