package org.ntx.cds;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import org.ntx.cardlog.CardLog;
import org.ntx.record.RecordReader;
import org.ntx.record.RecordTimeline;
import org.ntx.rules.Finding;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Trigger;
import org.ntx.rules.UnreadableRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One CDS call from request to cards: read the patient's record as a timeline (the record layer, prefetch first), run
 * the rules as of now, render the findings as cards and remember which cards were shown (for feedback and research).
 */
@Component
class NaltrexoneCds {

    private static final Logger log = LoggerFactory.getLogger(NaltrexoneCds.class);

    private final RecordReader reader;
    private final NaltrexoneRules rules;
    private final FindingCards cards;
    private final CardLog cardLog;
    private final Clock clock;

    NaltrexoneCds(RecordReader reader, NaltrexoneRules rules, FindingCards cards, CardLog cardLog, Clock clock) {
        this.reader = reader;
        this.rules = rules;
        this.cards = cards;
        this.cardLog = cardLog;
        this.clock = clock;
    }

    CdsServiceResponseJson respond(CdsServiceDefinition service, CdsRequest request) {
        Instant asOf = clock.instant();
        RecordTimeline record = reader.read(request.recordRequest(), asOf);
        List<Finding> findings = UnreadableRecords.named(rules.evaluate(
                new RuleInput(record.timeline(), record.drafts(), asOf, trigger(service.hook()))),
                record.unreadableByKind());

        CdsServiceResponseJson response = new CdsServiceResponseJson();
        List<CardLog.ShownCard> shown = new ArrayList<>();
        for (Finding finding : findings) {
            CdsServiceResponseCardJson card = cards.card(finding, request.patientId());
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

    private static Trigger trigger(CdsHook hook) {
        return switch (hook) {
            case ORDER_SELECT -> Trigger.ORDER_SELECT;
            case ORDER_SIGN -> Trigger.ORDER_SIGN;
            case PATIENT_VIEW -> Trigger.PATIENT_VIEW;
        };
    }
}
