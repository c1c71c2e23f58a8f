package org.ntx.rules;

import java.util.List;
import java.util.Map;

/**
 * What a card topic rests on, as the rules themselves declare it: what the rule checks, the thresholds it reads (with
 * their configured values, as text) and the sources it may cite. Read by the card pages, so a clinician following a
 * card's link sees the rule as deployed, not a copy of it.
 */
public record TopicBasis(Topic topic, String checks, Map<String, String> thresholds, List<Citation> citations) {

    public TopicBasis {
        thresholds = Map.copyOf(thresholds);
        citations = List.copyOf(citations);
    }
}
