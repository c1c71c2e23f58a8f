package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import org.junit.jupiter.api.Test;
import org.ntx.rules.Finding;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Thresholds;
import org.ntx.server.PublicUrls;
import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.ntx.timeline.SourceRef;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a card points: its topic page, and the patient's timeline as a SMART app link or a plain link. */
class FindingCardsTest {

    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final PublicUrls URLS = PublicUrls.fixed("https://ntx.example.org/fhir/");

    final Finding blockade = blockadeFinding();

    @Test
    void withAuthenticationOnTheTimelineIsASmartAppLinkTheEhrLaunches() {
        CdsServiceResponseLinkJson link = onlyLink(cards(CdsProperties.TimelineLink.AUTO, true).card(blockade, "p1",
                true).json());

        assertThat(link.getType()).isEqualTo("smart");
        assertThat(link.getUrl()).isEqualTo("https://ntx.example.org/");
    }

    @Test
    void withAuthenticationOffTheTimelineIsAnAbsoluteLinkToThatPatient() {
        CdsServiceResponseLinkJson link = onlyLink(cards(CdsProperties.TimelineLink.AUTO, false).card(blockade, "p 1",
                true).json());

        assertThat(link.getType()).isEqualTo("absolute");
        assertThat(link.getUrl()).isEqualTo("https://ntx.example.org/?patient=p+1");
    }

    @Test
    void noTimelineLinkForARecordThisServerDoesNotHoldOrWhenSwitchedOff() {
        assertThat(cards(CdsProperties.TimelineLink.AUTO, false).card(blockade, "p1", false).json().getLinks())
                .isNullOrEmpty();
        assertThat(cards(CdsProperties.TimelineLink.NONE, true).card(blockade, "p1", true).json().getLinks())
                .isNullOrEmpty();
    }

    @Test
    void sourceAndCitationsPointAtTheTopicPageUnderThePublicBase() {
        CdsServiceResponseCardJson card = cards(CdsProperties.TimelineLink.AUTO, false).card(blockade, "p1", true)
                .json();

        assertThat(card.getSource().getUrl()).isEqualTo("https://ntx.example.org/cards/opioid-blockade-conflict");
        assertThat(card.getDetail())
                .contains("](https://ntx.example.org/cards/opioid-blockade-conflict#citation-vivitrol-blockade)");
    }

    private static FindingCards cards(CdsProperties.TimelineLink link, boolean authenticationOn) {
        return new FindingCards(new CdsProperties(link, CdsProperties.Coordination.defaults()), URLS,
                authenticationOn, UUID::randomUUID);
    }

    private static CdsServiceResponseLinkJson onlyLink(CdsServiceResponseCardJson card) {
        assertThat(card.getLinks()).hasSize(1);
        return card.getLinks().get(0);
    }

    private static Finding blockadeFinding() {
        MedicationEvent injection = new MedicationEvent("p1", new SourceRef("MedicationAdministration", "inj"),
                MedicationEvent.Kind.ADMINISTRATION, MedicationEvent.Status.COMPLETED,
                DrugClass.NALTREXONE_EXTENDED_RELEASE, "naltrexone 380 MG Injection",
                Set.of(new Code("http://www.nlm.nih.gov/research/umls/rxnorm", "637213")),
                NOW.minus(Duration.ofDays(9)), Optional.empty(), Optional.empty(),
                Optional.of(BigDecimal.valueOf(380)), Optional.empty());
        MedicationEvent draft = new MedicationEvent("p1", new SourceRef("MedicationRequest", "d1"),
                MedicationEvent.Kind.ORDER, MedicationEvent.Status.DRAFT, DrugClass.OPIOID_SHORT_ACTING,
                "oxyCODONE Hydrochloride 10 MG Oral Tablet",
                Set.of(new Code("http://www.nlm.nih.gov/research/umls/rxnorm", "1049683")), NOW, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        return new NaltrexoneRules(Thresholds.defaults()).evaluate(RuleInput.orderSign(
                PatientTimeline.complete("p1", List.of(injection), List.of(), List.of()), List.of(draft), NOW))
                .stream().filter(f -> f.topic() == org.ntx.rules.Topic.OPIOID_BLOCKADE_CONFLICT).findFirst()
                .orElseThrow();
    }
}
