package org.ntx.rules;

import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;

/** One named clinical policy: a pure function of the request, listed in {@link NaltrexoneRules}. */
interface NaltrexoneRule {

    Topic topic();

    /** Every source a finding of this rule may cite (a scenario test holds each finding to it); for the card pages. */
    List<Citation> citations();

    /** The {@link Thresholds} components this rule reads, by name; for the card pages. */
    List<String> thresholds();

    /** What the rule checks, for a sentence such as "could not check: opioid blockade conflicts". */
    String checks();

    /** The data kinds without which the rule cannot say "all clear". */
    Set<DataKind> needs();

    /** Whether the request is one this rule speaks to (trigger and draft orders). */
    boolean appliesTo(RuleInput input);

    /** Only called when {@link #appliesTo(RuleInput)}. */
    List<Finding> evaluate(RuleInput input);
}
