package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.PatientTimeline;

class NaltrexoneRulesTest {

    private final TimelineNotation notation = new TimelineNotation();
    private final NaltrexoneRules rules = new NaltrexoneRules(Thresholds.defaults());

    @Test
    void warnsOnceAboutMissingLabResultsThoughTwoChecksNeedThem() {
        RuleInput input = RuleInput.orderSelect(notation.timeline("oxycodone given@-2; unavailable:observations"),
                notation.drafts("naltrexone"), TimelineNotation.AS_OF);

        List<Finding> unavailable = topic(rules.evaluate(input), Topic.DATA_UNAVAILABLE);

        assertThat(unavailable).singleElement().satisfies(finding -> {
            assertThat(finding.severity()).isEqualTo(Severity.WARNING);
            assertThat(finding.unavailableData()).contains(DataKind.OBSERVATIONS);
            assertThat(finding.detail()).contains("opioid-free window before naltrexone",
                    "liver function before naltrexone");
        });
    }

    @Test
    void stillWarnsAboutRecentOxycodoneWhenLabResultsCouldNotBeFetched() {
        RuleInput input = RuleInput.orderSelect(notation.timeline("oxycodone given@-2; unavailable:observations"),
                notation.drafts("naltrexone"), TimelineNotation.AS_OF);

        List<Finding> findings = rules.evaluate(input);

        assertThat(topic(findings, Topic.INDUCTION_WINDOW)).extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
        assertThat(topic(findings, Topic.LIVER_FUNCTION))
                .as("no 'no liver test in 90 days' when the labs could not be fetched").isEmpty();
    }

    @Test
    void saysWhichDataWasNotReadInTimeAndStillWarnsOnWhatArrived() {
        PatientTimeline late = notation.timeline("oxycodone given@-2; unavailable:observations");
        PatientTimeline timeline = new PatientTimeline(late.patientId(), late.medications(), late.labResults(),
                late.conditions(), late.unavailable(),
                java.util.Map.of(DataKind.OBSERVATIONS, org.ntx.timeline.Shortfall.NOT_READ_IN_TIME));

        List<Finding> findings = rules.evaluate(RuleInput.orderSelect(timeline, notation.drafts("naltrexone"),
                TimelineNotation.AS_OF));

        assertThat(topic(findings, Topic.DATA_UNAVAILABLE)).singleElement().satisfies(finding -> {
            assertThat(finding.summary()).contains("laboratory results were not read in time");
            assertThat(finding.detail()).contains("did not arrive within the time");
        });
        assertThat(topic(findings, Topic.INDUCTION_WINDOW)).extracting(Finding::severity)
                .containsExactly(Severity.CRITICAL);
    }

    @Test
    void saysWhenOnlyPartOfTheMedicationListCouldBeRead() {
        PatientTimeline partial = new PatientTimeline("p1", List.of(), List.of(), List.of(),
                java.util.Set.of(DataKind.MEDICATIONS),
                java.util.Map.of(DataKind.MEDICATIONS, org.ntx.timeline.Shortfall.INCOMPLETE));

        List<Finding> findings = rules.evaluate(RuleInput.patientView(partial, TimelineNotation.AS_OF));

        assertThat(findings).extracting(Finding::topic).containsExactly(Topic.DATA_UNAVAILABLE);
        assertThat(findings.get(0).summary()).contains("Only part of the medications could be read");
    }

    @Test
    void neverReturnsNothingBecauseTheMedicationListWasMissing() {
        PatientTimeline nothing = notation.timeline("unavailable:medications");

        List<Finding> findings = rules.evaluate(RuleInput.patientView(nothing, TimelineNotation.AS_OF));

        assertThat(findings).extracting(Finding::topic).containsExactly(Topic.DATA_UNAVAILABLE);
        assertThat(findings.get(0).summary()).contains("medications");
    }

    @Test
    void listsTheMostSevereFindingFirst() {
        RuleInput input = RuleInput.orderSign(notation.timeline("xr-naltrexone given@-31"),
                notation.drafts("oxycodone; naloxone"), TimelineNotation.AS_OF);
        PatientTimeline critical = notation.timeline("xr-naltrexone given@-3; unavailable:medications");

        List<Finding> waning = rules.evaluate(input);
        List<Finding> blocked = rules.evaluate(RuleInput.orderSelect(critical, notation.drafts("oxycodone"),
                TimelineNotation.AS_OF));

        assertThat(waning).extracting(Finding::topic)
                .containsExactly(Topic.OPIOID_BLOCKADE_CONFLICT, Topic.OVERDOSE_RISK);
        assertThat(blocked).extracting(Finding::severity).containsExactly(Severity.CRITICAL, Severity.WARNING);
    }

    @Test
    void namesTheDraftToRemoveAndTheInjectionAsEvidence() {
        RuleInput input = RuleInput.orderSelect(notation.timeline("xr-naltrexone given@-9"),
                notation.drafts("oxycodone"), TimelineNotation.AS_OF);

        Finding conflict = topic(rules.evaluate(input), Topic.OPIOID_BLOCKADE_CONFLICT).get(0);

        assertThat(conflict.draftOrders()).containsExactly(input.draftOrders().get(0).source());
        assertThat(conflict.suggestions()).containsExactly(SuggestedAction.REMOVE_DRAFT_ORDER);
        assertThat(conflict.evidence()).extracting(evidence -> evidence.source().resourceType())
                .containsExactly("MedicationAdministration");
        assertThat(conflict.citations()).contains(Citation.VIVITROL_BLOCKADE);
    }

    @Test
    void judgesAsOfTheInstantGivenNotTheWallClock() {
        PatientTimeline timeline = notation.timeline("xr-naltrexone given@-9");
        Instant beforeTheInjection = notation.day(-10);

        List<Finding> then = rules.evaluate(RuleInput.orderSelect(timeline, notation.drafts("oxycodone"),
                beforeTheInjection));

        assertThat(topic(then, Topic.OPIOID_BLOCKADE_CONFLICT)).isEmpty();
    }

    @Test
    void suggestsNaloxoneAfterALapsedInjection() {
        List<Finding> findings = rules.evaluate(RuleInput.patientView(notation.timeline("xr-naltrexone given@-40"),
                TimelineNotation.AS_OF));

        assertThat(topic(findings, Topic.OVERDOSE_RISK)).singleElement()
                .satisfies(finding -> assertThat(finding.suggestions())
                        .containsExactly(SuggestedAction.PRESCRIBE_NALOXONE));
    }

    @Test
    void suggestsANaloxoneChallengeUnlessAnOpioidIsStillSupplied() {
        Finding afterADose = topic(rules.evaluate(RuleInput.orderSelect(notation.timeline("oxycodone given@-5"),
                notation.drafts("naltrexone"), TimelineNotation.AS_OF)), Topic.INDUCTION_WINDOW).get(0);
        Finding stillSupplied = topic(rules.evaluate(RuleInput.orderSelect(
                notation.timeline("oxycodone dispensed@-2 30d"), notation.drafts("naltrexone"),
                TimelineNotation.AS_OF)), Topic.INDUCTION_WINDOW).get(0);

        assertThat(afterADose.suggestions()).contains(SuggestedAction.NALOXONE_CHALLENGE);
        assertThat(stillSupplied.suggestions()).doesNotContain(SuggestedAction.NALOXONE_CHALLENGE);
    }

    @Test
    void isTheSameStatusThroughTheRuleEntryPoint() {
        PatientTimeline timeline = notation.timeline("naltrexone dispensed@-5 30d 100mg; ALT@-5=30/40");

        assertThat(rules.status(timeline, TimelineNotation.AS_OF))
                .isEqualTo(NaltrexoneStatus.of(timeline, TimelineNotation.AS_OF, Thresholds.defaults()));
    }

    private static List<Finding> topic(List<Finding> findings, Topic topic) {
        return findings.stream().filter(finding -> finding.topic() == topic).toList();
    }
}
