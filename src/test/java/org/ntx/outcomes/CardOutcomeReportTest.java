package org.ntx.outcomes;

import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;
import org.ntx.cardlog.CardLog;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.OverrideReason;
import org.ntx.rules.Topic;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The card outcomes of the MeasureReport count what the feedback said, in the reasons the cards offered. */
class CardOutcomeReportTest {

    static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void countsADismissalWithoutReasonAsNoReasonGivenAndNeverAsACode() {
        MeasureReport report = report(List.of(
                overridden("c1", Optional.empty()),
                overridden("c2", Optional.of(ours("pain-emergency-monitored-setting"))),
                overridden("c3", Optional.of(ours("pain-emergency-monitored-setting"))),
                shown("c4")));

        Map<String, Integer> reasons = reasons(report, Topic.OPIOID_BLOCKADE_CONFLICT);
        assertThat(reasons).containsEntry("no reason given", 1)
                .containsEntry("pain-emergency-monitored-setting", 2);
        MeasureReport.StratifierGroupComponent none = stratum(report, Topic.OPIOID_BLOCKADE_CONFLICT,
                "no reason given");
        assertThat(none.getValue().getCoding()).as("no made-up code").isEmpty();
    }

    @Test
    void listsExactlyTheReasonsTheCardsOfATopicOfferEvenWhenNobodyUsedThem() {
        MeasureReport report = report(List.of(overridden("c1", Optional.empty())));

        List<String> offered = OverrideReason.forTopic(Topic.OPIOID_BLOCKADE_CONFLICT).stream()
                .map(OverrideReason::code).toList();
        assertThat(reasons(report, Topic.OPIOID_BLOCKADE_CONFLICT).keySet())
                .containsExactlyElementsOf(concat(offered, "no reason given"));
    }

    @Test
    void keepsAClientsOwnReasonUnderItsOwnSystem() {
        MeasureReport report = report(List.of(overridden("c1", Optional.of(new CardLog.ReasonCode(
                Optional.of("https://ehr.example.org/reasons"), "palliative")))));

        MeasureReport.StratifierGroupComponent theirs = stratum(report, Topic.OPIOID_BLOCKADE_CONFLICT, "palliative");
        assertThat(theirs.getValue().getCodingFirstRep().getSystem()).isEqualTo("https://ehr.example.org/reasons");
    }

    @Test
    void countsNotesThatStoodInForARepeatedCardApartFromTheCardsShown() {
        CardLog.ShownCard note = new CardLog.ShownCard("n1", "naltrexone-order-sign", "h", "p1",
                Topic.OPIOID_BLOCKADE_CONFLICT.code(), "info", T, new CardLog.Issued(Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("c1"), Map.of()));
        MeasureReport report = report(List.of(overridden("c1", Optional.empty()),
                new CardLog.CardOutcome(note, Optional.empty())));

        MeasureReport.MeasureReportGroupComponent group = group(report, Topic.OPIOID_BLOCKADE_CONFLICT);
        assertThat(group.getPopulationFirstRep().getCount()).as("cards shown").isEqualTo(1);
        assertThat(stratum(report, Topic.OPIOID_BLOCKADE_CONFLICT,
                "answered at order-select, not shown again at order-sign").getPopulationFirstRep().getCount())
                .isEqualTo(1);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static MeasureReport report(List<CardLog.CardOutcome> cards) {
        return OutcomeReport.of(new OutcomeStudy.Period(T.minusSeconds(86400), T.plusSeconds(86400),
                Optional.empty()), T, new OutcomeTally(0.8), cards);
    }

    private static CardLog.ReasonCode ours(String code) {
        return new CardLog.ReasonCode(Optional.of(Canonicals.CODE_SYSTEM), code);
    }

    private static CardLog.CardOutcome shown(String uuid) {
        return new CardLog.CardOutcome(card(uuid), Optional.empty());
    }

    private static CardLog.CardOutcome overridden(String uuid, Optional<CardLog.ReasonCode> reason) {
        return new CardLog.CardOutcome(card(uuid), Optional.of(new CardLog.Feedback("overridden", reason, List.of(),
                T, T)));
    }

    private static CardLog.ShownCard card(String uuid) {
        return new CardLog.ShownCard(uuid, "naltrexone-order-sign", "h", "p1", Topic.OPIOID_BLOCKADE_CONFLICT.code(),
                "critical", T, CardLog.Issued.minimal());
    }

    private static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, Topic topic) {
        return report.getGroup().stream()
                .filter(g -> g.getCode().getCodingFirstRep().getCode().equals("cds-card-overridden:" + topic.code()))
                .findFirst().orElseThrow();
    }

    private static Map<String, Integer> reasons(MeasureReport report, Topic topic) {
        return group(report, topic).getStratifier().stream()
                .filter(s -> s.getCodeFirstRep().getText().equals("override-reason"))
                .flatMap(s -> s.getStratum().stream())
                .collect(Collectors.toMap(CardOutcomeReportTest::label, s -> s.getPopulationFirstRep().getCount(),
                        (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static MeasureReport.StratifierGroupComponent stratum(MeasureReport report, Topic topic, String label) {
        return group(report, topic).getStratifier().stream().flatMap(s -> s.getStratum().stream())
                .filter(s -> label(s).equals(label)).findFirst().orElseThrow();
    }

    private static String label(MeasureReport.StratifierGroupComponent stratum) {
        return stratum.getValue().hasCoding() ? stratum.getValue().getCodingFirstRep().getCode()
                : stratum.getValue().getText();
    }

    private static List<String> concat(List<String> list, String last) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(last)).toList();
    }
}
