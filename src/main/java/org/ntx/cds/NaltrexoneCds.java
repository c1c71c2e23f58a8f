package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.rules.Finding;
import org.ntx.rules.Severity;
import org.ntx.rules.Topic;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Trigger;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One CDS call from request to cards: gather the patient's data, map it to a timeline once, run the rules as of now,
 * render the findings as cards and remember which cards were shown (for feedback and research).
 */
@Component
class NaltrexoneCds {

    private static final Logger log = LoggerFactory.getLogger(NaltrexoneCds.class);

    private final PatientRecordLoader loader;
    private final TimelineMapper mapper;
    private final NaltrexoneRules rules;
    private final FindingCards cards;
    private final CardLog cardLog;
    private final Clock clock;

    NaltrexoneCds(PatientRecordLoader loader, TimelineMapper mapper, NaltrexoneRules rules, FindingCards cards,
                  CardLog cardLog, Clock clock) {
        this.loader = loader;
        this.mapper = mapper;
        this.rules = rules;
        this.cards = cards;
        this.cardLog = cardLog;
        this.clock = clock;
    }

    CdsServiceResponseJson respond(CdsServiceDefinition service, CdsRequest request) {
        Instant asOf = clock.instant();
        PatientRecord record = loader.load(request);
        List<Finding> findings = assess(record, request.draftOrders(), trigger(service.hook()), asOf);

        CdsServiceResponseJson response = new CdsServiceResponseJson();
        List<CardLog.ShownCard> shown = new ArrayList<>();
        for (Finding finding : findings) {
            CdsServiceResponseCardJson card = cards.card(finding, request.patientId());
            nameUnreadable(card, finding, record);
            response.addCard(card);
            shown.add(new CardLog.ShownCard(card.getUuid(), service.id(), request.hookInstance(),
                    request.patientId(), finding.topic().code(), finding.severity().name().toLowerCase(), asOf));
        }
        try {
            cardLog.recordShown(shown);
        } catch (DataAccessException e) {
            // The cards are the safety message and go out regardless; the research log loses these entries.
            log.warn("Could not log {} shown card(s) of a {} call ({}); the cards were still returned",
                    shown.size(), service.id(), e.getClass().getSimpleName());
        }
        return response;
    }

    /** A data-unavailable card names the stored records of its kind that exist but could not be read. */
    static void nameUnreadable(CdsServiceResponseCardJson card, Finding finding, PatientRecord record) {
        if (finding.topic() != Topic.DATA_UNAVAILABLE || finding.unavailableData().isEmpty()) {
            return;
        }
        List<String> unreadable = record.unreadable().stream()
                .filter(reference -> kindOf(reference) == finding.unavailableData().get())
                .toList();
        if (!unreadable.isEmpty()) {
            card.setDetail(card.getDetail() + "\nThese records are stored but could not be read: "
                    + String.join(", ", unreadable) + ". The checks above used the rest of the record.\n");
        }
    }

    /** The kind of data a stored resource ({@code Observation/123}) belongs to. */
    static DataKind kindOf(String reference) {
        String type = reference.contains("/") ? reference.substring(0, reference.indexOf('/')) : reference;
        return switch (type) {
            case "Observation" -> DataKind.OBSERVATIONS;
            case "Condition" -> DataKind.CONDITIONS;
            default -> DataKind.MEDICATIONS;
        };
    }

    /**
     * The same rules for clients without CDS Hooks ({@code $naltrexone-check}, the write-time check): the patient's
     * data from this server's own store, the given resources as draft orders.
     */
    List<Finding> assessFromStore(String patientId, List<Resource> drafts, Trigger trigger) {
        return assess(loader.loadFromStore(patientId, drafts), drafts, trigger, clock.instant());
    }

    private List<Finding> assess(PatientRecord record, List<Resource> draftResources, Trigger trigger, Instant asOf) {
        PatientTimeline timeline = mapper.timeline(record);
        List<MedicationEvent> drafts = mapper.drafts(record.patientId(), draftResources, asOf, record::medication);
        List<Finding> findings = new ArrayList<>(rules.evaluate(new RuleInput(timeline, drafts, asOf, trigger)));
        unreadableFinding(record, findings).ifPresent(findings::add);
        return findings;
    }

    /**
     * Stored records that exist but cannot be read are always said, even where no check needed their kind of data
     * (a data-unavailable card for that kind names them otherwise): the record is damaged and should be looked at.
     */
    static Optional<Finding> unreadableFinding(PatientRecord record, List<Finding> findings) {
        Set<DataKind> named = new HashSet<>();
        findings.stream().filter(f -> f.topic() == Topic.DATA_UNAVAILABLE)
                .forEach(f -> f.unavailableData().ifPresent(named::add));
        List<String> unnamed = record.unreadable().stream().filter(reference -> !named.contains(kindOf(reference)))
                .toList();
        if (unnamed.isEmpty()) {
            return Optional.empty();
        }
        String detail = "These records are stored for this patient but could not be read: " + String.join(", ",
                unnamed) + ".\n\nThe checks above used the rest of the record; review these records manually and have"
                + " them repaired.\n";
        return Optional.of(new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING,
                "Some stored records could not be read: the record may be incomplete", detail, List.of(), List.of(),
                Set.of(), List.of(), Optional.empty()));
    }

    private static Trigger trigger(CdsHook hook) {
        return switch (hook) {
            case ORDER_SELECT -> Trigger.ORDER_SELECT;
            case ORDER_SIGN -> Trigger.ORDER_SIGN;
            case PATIENT_VIEW -> Trigger.PATIENT_VIEW;
        };
    }
}
