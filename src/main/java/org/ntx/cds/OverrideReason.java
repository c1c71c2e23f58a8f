package org.ntx.cds;

import org.ntx.rules.Topic;

import java.util.Arrays;
import java.util.List;

/**
 * Why a clinician may go ahead despite a card: the override reasons of the project's CodeSystem, offered per topic.
 * Codes must exist in {@code fhir-profiles/CodeSystem-ntx.json} (a unit test checks).
 */
enum OverrideReason {
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

    String code() {
        return code;
    }

    String display() {
        return display;
    }

    static List<OverrideReason> forTopic(Topic topic) {
        return Arrays.stream(values()).filter(reason -> reason.topics.contains(topic)).toList();
    }
}
