package org.ntx.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Why a clinician may go ahead despite a finding: the override reasons of the project's CodeSystem, offered per topic.
 * One list for both ends: the CDS cards offer exactly these, and the research outcomes count exactly these (plus "no
 * reason given"). Codes must exist in {@code fhir-profiles/CodeSystem-ntx.json} (a unit test checks).
 */
public enum OverrideReason {
    PAIN_EMERGENCY_MONITORED("pain-emergency-monitored-setting",
            "Emergency analgesia in a monitored setting", Topic.OPIOID_BLOCKADE_CONFLICT),
    BLOCKADE_NOT_ACTIVE("blockade-not-active-verified",
            "Verified that naltrexone is no longer taken", Topic.OPIOID_BLOCKADE_CONFLICT, Topic.OVERDOSE_RISK),
    OPIOID_FREE_VERIFIED("patient-opioid-free-verified",
            "Opioid-free interval verified", Topic.INDUCTION_WINDOW),
    NALOXONE_CHALLENGE_PASSED("naloxone-challenge-passed",
            "Naloxone challenge passed", Topic.INDUCTION_WINDOW),
    LIVER_TESTS_REVIEWED("liver-tests-reviewed",
            "Liver tests reviewed; benefit outweighs risk", Topic.LIVER_FUNCTION),
    OTHER("other", "Other reason (documented in the chart)",
            Topic.OPIOID_BLOCKADE_CONFLICT, Topic.INDUCTION_WINDOW, Topic.LIVER_FUNCTION, Topic.OVERDOSE_RISK,
            Topic.DATA_UNAVAILABLE);

    private final String code;
    private final String display;
    private final List<Topic> topics;

    OverrideReason(String code, String display, Topic... topics) {
        this.code = code;
        this.display = display;
        this.topics = List.of(topics);
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    /** The reasons a card of this topic offers, in this order; none for topics that never need overriding. */
    public static List<OverrideReason> forTopic(Topic topic) {
        return Arrays.stream(values()).filter(reason -> reason.topics.contains(topic)).toList();
    }

    public static Optional<OverrideReason> byCode(String code) {
        return Arrays.stream(values()).filter(reason -> reason.code.equals(code)).findFirst();
    }
}
