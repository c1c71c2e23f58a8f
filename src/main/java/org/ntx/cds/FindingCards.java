package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardSourceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ntx.cardpages.CardLinks;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.Finding;
import org.ntx.rules.FindingText;
import org.ntx.rules.Severity;
import org.ntx.rules.SuggestedAction;
import org.ntx.rules.Topic;
import org.ntx.timeline.SourceRef;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a finding looks on the wire: indicator, summary, a markdown detail listing the evidence and the clinical source
 * of the threshold, the topic as a Coding from our CodeSystem, suggestions with real actions, and override reasons.
 * The rule decided what is true; this class only decides how it is shown.
 */
@Component
class FindingCards {

    static final String SOURCE_LABEL = "Naltrexone FHIR Service";

    private final Function<Topic, String> sourceUrls;
    private final Supplier<UUID> uuids;

    @Autowired
    FindingCards(CardLinks cardLinks) {
        this(cardLinks::forTopic, UUID::randomUUID);
    }

    /** @param sourceUrls the page a card of a topic links to ({@link CardLinks}: {@code /cards/{topic}}) */
    FindingCards(Function<Topic, String> sourceUrls, Supplier<UUID> uuids) {
        this.sourceUrls = sourceUrls;
        this.uuids = uuids;
    }

    CdsServiceResponseCardJson card(Finding finding, String patientId) {
        CdsServiceResponseCardJson card = new CdsServiceResponseCardJson()
                .setUuid(uuids.get().toString())
                .setSummary(finding.summary())
                .setIndicator(indicator(finding.severity()))
                .setDetail(FindingText.markdown(finding))
                .setSource(new CdsServiceResponseCardSourceJson()
                        .setLabel(SOURCE_LABEL)
                        .setUrl(sourceUrls.apply(finding.topic()))
                        .setTopic(new CdsServiceResponseCodingJson()
                                .setSystem(Canonicals.CODE_SYSTEM)
                                .setCode(finding.topic().code())
                                .setDisplay(topicDisplay(finding))));
        for (SuggestedAction action : finding.suggestions()) {
            card.addSuggestion(suggestion(action, finding, patientId));
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
        return card;
    }

    private static CdsServiceIndicatorEnum indicator(Severity severity) {
        return switch (severity) {
            case INFO -> CdsServiceIndicatorEnum.INFO;
            case WARNING -> CdsServiceIndicatorEnum.WARNING;
            case CRITICAL -> CdsServiceIndicatorEnum.CRITICAL;
        };
    }

    private static String topicDisplay(Finding finding) {
        String code = finding.topic().code().replace('-', ' ');
        return Character.toUpperCase(code.charAt(0)) + code.substring(1);
    }

    private CdsServiceResponseSuggestionJson suggestion(SuggestedAction action, Finding finding, String patientId) {
        CdsServiceResponseSuggestionJson suggestion = new CdsServiceResponseSuggestionJson()
                .setUuid(uuids.get().toString());
        Reference patient = new Reference("Patient/" + patientId);
        switch (action) {
            case REMOVE_DRAFT_ORDER -> {
                boolean opioidDraft = finding.topic() == Topic.OPIOID_BLOCKADE_CONFLICT
                        || finding.topic() == Topic.OVERDOSE_RISK;
                suggestion.setLabel(opioidDraft ? "Remove the opioid order" : "Remove the naltrexone order")
                        .setRecommended(true);
                List<String> drafts = finding.draftOrders().stream().map(SourceRef::reference).toList();
                suggestion.addAction(new SuggestionActionJson().setResourceId(drafts)
                        .setType("delete").setDescription("Remove " + String.join(", ", drafts)));
            }
            case ORDER_HEPATIC_FUNCTION_PANEL -> {
                suggestion.setLabel("Order a hepatic function panel").setRecommended(true);
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
                suggestion.setLabel("Prescribe naloxone nasal spray").setRecommended(true);
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
                suggestion.setLabel("Perform a naloxone challenge before starting").setRecommended(false);
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
