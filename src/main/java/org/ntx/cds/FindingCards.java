package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardSourceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ntx.cardlog.CardLog;
import org.ntx.cardpages.CardLinks;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.Citation;
import org.ntx.rules.Finding;
import org.ntx.rules.FindingText;
import org.ntx.rules.OverrideReason;
import org.ntx.rules.Severity;
import org.ntx.rules.SuggestedAction;
import org.ntx.rules.Topic;
import org.ntx.security.SecurityProperties;
import org.ntx.server.PublicUrls;
import org.ntx.timeline.SourceRef;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How a finding looks on the wire: indicator, summary, a markdown detail listing the evidence and the clinical source
 * of the threshold (each source a link to the topic's page), the topic as a Coding from our CodeSystem, suggestions
 * with real actions, override reasons, and a link to the patient's timeline. The rule decided what is true; this
 * class only decides how it is shown.
 */
@Component
class FindingCards {

    static final String SOURCE_LABEL = "Naltrexone FHIR Service";
    static final String TIMELINE_LABEL = "Naltrexone timeline of this patient";

    private final PublicUrls urls;
    private final CardLinks pages;
    private final CdsProperties.TimelineLink timelineLink;
    private final Supplier<UUID> uuids;

    @Autowired
    FindingCards(CdsProperties properties, PublicUrls urls, SecurityProperties security) {
        this(properties, urls, security.enabled(), UUID::randomUUID);
    }

    /**
     * @param authenticationOn whether this server requires authentication: then the timeline opens as a SMART app the
     *                         EHR launches (with {@code timeline-link: auto}), otherwise as a plain link
     */
    FindingCards(CdsProperties properties, PublicUrls urls, boolean authenticationOn, Supplier<UUID> uuids) {
        this.urls = urls;
        this.pages = new CardLinks(urls);
        this.timelineLink = properties.timelineLink() == CdsProperties.TimelineLink.AUTO
                ? (authenticationOn ? CdsProperties.TimelineLink.SMART : CdsProperties.TimelineLink.ABSOLUTE)
                : properties.timelineLink();
        this.uuids = uuids;
    }

    /** A card as issued, with what the card log keeps of its suggestions: uuid to the kind of action. */
    record IssuedCard(CdsServiceResponseCardJson json, Map<String, String> suggestions) {}

    /**
     * @param timeline whether the record was read from this server's own store, so its timeline page shows this
     *                 patient (not so for a record read from a client's FHIR server)
     */
    IssuedCard card(Finding finding, String patientId, boolean timeline) {
        CdsServiceResponseCardJson card = new CdsServiceResponseCardJson()
                .setUuid(uuids.get().toString())
                .setSummary(finding.summary())
                .setIndicator(indicator(finding.severity()))
                .setDetail(FindingText.markdown(finding, citation -> citationUrl(finding.topic(), citation)))
                .setSource(source(finding.topic()));
        Map<String, String> kinds = new LinkedHashMap<>();
        for (SuggestedAction action : finding.suggestions()) {
            CdsServiceResponseSuggestionJson suggestion = suggestion(action, finding, patientId);
            card.addSuggestion(suggestion);
            kinds.put(suggestion.getUuid(), action.name());
        }
        if (card.getSuggestions() != null && !card.getSuggestions().isEmpty()) {
            card.setSelectionBehaviour("any");
        }
        List<CdsServiceResponseCodingJson> reasons = OverrideReason.forTopic(finding.topic()).stream()
                .map(reason -> new CdsServiceResponseCodingJson()
                        .setSystem(Canonicals.CODE_SYSTEM).setCode(reason.code()).setDisplay(reason.display()))
                .toList();
        if (finding.severity() != Severity.INFO && !reasons.isEmpty()) {
            card.setOverrideReasons(reasons);
        }
        if (timeline) {
            timelineLink(patientId).ifPresent(link -> card.setLinks(List.of(link)));
        }
        return new IssuedCard(card, kinds);
    }

    /**
     * The card order-sign shows instead of one the prescriber already answered at order-select: an {@code info} card
     * that records what was acknowledged, when and how, and keeps the full finding (evidence and sources) below.
     *
     * @param when     the time of day to quote: of the acknowledgement, or of the card shown at order-select
     * @param feedback what the prescriber did with it, if they said (the PDDI option filters without feedback)
     * @param maxAge   after how long the card would come back in full
     */
    IssuedCard acknowledgement(Finding finding, String patientId, boolean timeline, Instant when, ZoneId zone,
                               Optional<CardLog.Feedback> feedback, Map<String, String> earlierSuggestions,
                               Duration maxAge) {
        String topic = topicDisplay(finding);
        String time = DateTimeFormatter.ofPattern("HH:mm z").withZone(zone).format(when);
        String answer = feedback.map(f -> answer(f, earlierSuggestions, finding)).orElse(null);
        String summary = answer == null
                ? topic + " shown at selection, " + time + "; not repeated at signing"
                : topic + " acknowledged at selection, " + time + ": " + answer;
        if (summary.length() > Finding.MAX_SUMMARY_LENGTH) {
            summary = summary.substring(0, Finding.MAX_SUMMARY_LENGTH - 1) + "…";
        }
        String at = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").withZone(zone).format(when);
        String how = feedback.isEmpty()
                ? "was returned to the same prescriber at order-select (" + at + "), and the EHR asked for cards"
                        + " already shown not to be repeated (PDDI CDS option filter-out-repeated-alerts)."
                : "was shown to the same prescriber at order-select and answered at " + at + ": "
                        + answer + ".";
        String detail = "This " + finding.severity().name().toLowerCase(Locale.ROOT) + " card " + how
                + " It is not shown again as an interruption because nothing it rests on has changed: the same"
                + " patient, prescriber and order (product, dose, route) and the same evidence. It comes back in full"
                + " if any of these changes, or at a signing more than " + minutes(maxAge) + " later."
                + "\n\n**The card acknowledged: " + finding.summary() + "**\n\n"
                + FindingText.markdown(finding, citation -> citationUrl(finding.topic(), citation));
        CdsServiceResponseCardJson card = new CdsServiceResponseCardJson()
                .setUuid(uuids.get().toString())
                .setSummary(summary)
                .setIndicator(CdsServiceIndicatorEnum.INFO)
                .setDetail(detail)
                .setSource(source(finding.topic()));
        if (timeline) {
            timelineLink(patientId).ifPresent(link -> card.setLinks(List.of(link)));
        }
        return new IssuedCard(card, Map.of());
    }

    private static String answer(CardLog.Feedback feedback, Map<String, String> suggestions, Finding finding) {
        if (feedback.outcome().equals("accepted")) {
            List<String> labels = feedback.acceptedSuggestions().stream()
                    .map(id -> suggestions.getOrDefault(id, ""))
                    .flatMap(kind -> Arrays.stream(SuggestedAction.values()).filter(a -> a.name().equals(kind)))
                    .map(action -> label(action, finding.topic()))
                    .toList();
            return labels.isEmpty() ? "suggestion taken" : "suggestion taken (" + String.join("; ", labels) + ")";
        }
        return feedback.reason()
                .map(reason -> reason.system().map(Canonicals.CODE_SYSTEM::equals).orElse(true)
                        ? OverrideReason.byCode(reason.code()).map(r -> lowerFirst(r.display()))
                                .orElse("reason " + reason.code())
                        : "reason " + reason.code() + " (" + reason.system().get() + ")")
                .orElse("overridden without a reason");
    }

    private static String lowerFirst(String text) {
        return Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String minutes(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + (minutes == 60 ? " hour" : " hours") : minutes + " minutes";
    }

    private CdsServiceResponseCardSourceJson source(Topic topic) {
        return new CdsServiceResponseCardSourceJson()
                .setLabel(SOURCE_LABEL)
                .setUrl(pages.forTopic(topic))
                .setTopic(new CdsServiceResponseCodingJson()
                        .setSystem(Canonicals.CODE_SYSTEM)
                        .setCode(topic.code())
                        .setDisplay(topicDisplay(topic)));
    }

    /** A citation's entry on the topic page. */
    private String citationUrl(Topic topic, Citation citation) {
        return pages.forCitation(topic, citation);
    }

    /**
     * CDS Hooks 2.0 links: {@code smart} is launched by the EHR as a SMART app (it adds {@code launch} and
     * {@code iss}; the page then signs in against the EHR and shows the patient of the launch); {@code absolute}
     * is opened as it is.
     */
    private Optional<CdsServiceResponseLinkJson> timelineLink(String patientId) {
        return switch (timelineLink) {
            case SMART -> Optional.of(new CdsServiceResponseLinkJson().setLabel(TIMELINE_LABEL)
                    .setUrl(urls.smartLaunch()).setType("smart"));
            case ABSOLUTE -> Optional.of(new CdsServiceResponseLinkJson().setLabel(TIMELINE_LABEL)
                    .setUrl(urls.patientTimeline(patientId)).setType("absolute"));
            case NONE, AUTO -> Optional.empty();
        };
    }

    private static CdsServiceIndicatorEnum indicator(Severity severity) {
        return switch (severity) {
            case INFO -> CdsServiceIndicatorEnum.INFO;
            case WARNING -> CdsServiceIndicatorEnum.WARNING;
            case CRITICAL -> CdsServiceIndicatorEnum.CRITICAL;
        };
    }

    private static String topicDisplay(Finding finding) {
        return topicDisplay(finding.topic());
    }

    static String topicDisplay(Topic topic) {
        String code = topic.code().replace('-', ' ');
        return Character.toUpperCase(code.charAt(0)) + code.substring(1);
    }

    /** The button text of a suggestion. */
    static String label(SuggestedAction action, Topic topic) {
        return switch (action) {
            case REMOVE_DRAFT_ORDER -> topic == Topic.OPIOID_BLOCKADE_CONFLICT || topic == Topic.OVERDOSE_RISK
                    ? "Remove the opioid order" : "Remove the naltrexone order";
            case ORDER_HEPATIC_FUNCTION_PANEL -> "Order a hepatic function panel";
            case PRESCRIBE_NALOXONE -> "Prescribe naloxone nasal spray";
            case NALOXONE_CHALLENGE -> "Perform a naloxone challenge before starting";
        };
    }

    private CdsServiceResponseSuggestionJson suggestion(SuggestedAction action, Finding finding, String patientId) {
        CdsServiceResponseSuggestionJson suggestion = new CdsServiceResponseSuggestionJson()
                .setUuid(uuids.get().toString());
        Reference patient = new Reference("Patient/" + patientId);
        switch (action) {
            case REMOVE_DRAFT_ORDER -> {
                suggestion.setLabel(label(action, finding.topic())).setRecommended(true);
                List<String> drafts = finding.draftOrders().stream().map(SourceRef::reference).toList();
                suggestion.addAction(new SuggestionActionJson().setResourceId(drafts)
                        .setType("delete").setDescription("Remove " + String.join(", ", drafts)));
            }
            case ORDER_HEPATIC_FUNCTION_PANEL -> {
                suggestion.setLabel(label(action, finding.topic())).setRecommended(true);
                ServiceRequest panel = new ServiceRequest()
                        .setStatus(ServiceRequest.ServiceRequestStatus.DRAFT)
                        .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                        .setSubject(patient)
                        .setCode(new CodeableConcept().addCoding(new Coding("http://loinc.org", "24325-3",
                                "Hepatic function 2000 panel - Serum or Plasma")));
                suggestion.addAction(new SuggestionActionJson().setType("create")
                        .setDescription("Order a hepatic function panel (LOINC 24325-3)").setResource(panel));
            }
            case PRESCRIBE_NALOXONE -> {
                suggestion.setLabel(label(action, finding.topic())).setRecommended(true);
                MedicationRequest naloxone = new MedicationRequest()
                        .setStatus(MedicationRequest.MedicationRequestStatus.DRAFT)
                        .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                        .setSubject(patient)
                        .setMedication(new CodeableConcept().addCoding(new Coding(
                                "http://www.nlm.nih.gov/research/umls/rxnorm", "1725059",
                                "naloxone hydrochloride 40 MG/ML Nasal Spray")));
                naloxone.addDosageInstruction(new Dosage().setText(
                        "One spray in one nostril for suspected opioid overdose; call emergency services; "
                                + "may repeat after 2-3 minutes in the other nostril"));
                suggestion.addAction(new SuggestionActionJson().setType("create")
                        .setDescription("Prescribe naloxone for overdose reversal").setResource(naloxone));
            }
            case NALOXONE_CHALLENGE -> {
                suggestion.setLabel(label(action, finding.topic())).setRecommended(false);
                ServiceRequest challenge = new ServiceRequest()
                        .setStatus(ServiceRequest.ServiceRequestStatus.DRAFT)
                        .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                        .setSubject(patient)
                        .setCode(new CodeableConcept().setText("Naloxone challenge test"));
                suggestion.addAction(new SuggestionActionJson().setType("create")
                        .setDescription("Order a naloxone challenge").setResource(challenge));
            }
        }
        return suggestion;
    }
}
