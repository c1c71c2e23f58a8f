package org.ntx.cds;

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
import java.util.Locale;
import java.util.Optional;

/**
 * One CDS call from request to cards: read the patient's record as a timeline (the record layer, prefetch first), run
 * the rules as of now, render the findings as cards and remember which cards were shown (for feedback, research, and
 * order-sign's one interruption per decision: {@link RepeatedCardPolicy}).
 */
@Component
class NaltrexoneCds {

    private static final Logger log = LoggerFactory.getLogger(NaltrexoneCds.class);

    private final RecordReader reader;
    private final NaltrexoneRules rules;
    private final FindingCards cards;
    private final CardLog cardLog;
    private final Clock clock;
    private final CdsProperties.Coordination coordination;
    private final RepeatedCardPolicy repeats;

    NaltrexoneCds(RecordReader reader, NaltrexoneRules rules, FindingCards cards, CardLog cardLog, Clock clock,
                  CdsProperties properties) {
        this.reader = reader;
        this.rules = rules;
        this.cards = cards;
        this.cardLog = cardLog;
        this.clock = clock;
        this.coordination = properties.coordination();
        this.repeats = new RepeatedCardPolicy(coordination.maxAge());
    }

    /** The prefetch templates every service advertises, by key. */
    java.util.Map<String, String> prefetchTemplates() {
        return reader.prefetchTemplates();
    }

    /**
     * @param caller who called, as the card log records it ({@link CdsCaller}): cards are answered, and recognised
     *               again at order-sign, only by the same caller
     */
    CdsServiceResponseJson respond(CdsServiceDefinition service, CdsRequest request, Optional<String> caller) {
        Instant asOf = clock.instant();
        RecordTimeline record = reader.read(request.recordRequest(), asOf);
        List<Finding> findings = UnreadableRecords.named(rules.evaluate(
                new RuleInput(record.timeline(), record.drafts(), asOf, trigger(service.hook()))),
                record.unreadableByKind());
        CardBasis.DraftOrders drafts = new CardBasis.DraftOrders(request.draftOrders(), request.draftIds());

        RepeatedCardPolicy.Mode mode = service.hook() == CdsHook.ORDER_SIGN
                ? RepeatedCardPolicy.mode(request.pddi().filterOutRepeatedAlerts(),
                        coordination.rememberAnsweredCards())
                : RepeatedCardPolicy.Mode.SHOW_ALL;
        List<CardLog.CardOutcome> earlier = mode == RepeatedCardPolicy.Mode.SHOW_ALL || request.userId().isEmpty()
                ? List.of() : earlierCards(request, caller, asOf);

        CdsServiceResponseJson response = new CdsServiceResponseJson();
        List<CardLog.ShownCard> shown = new ArrayList<>();
        for (Finding finding : findings) {
            Optional<CardBasis> basis = CardBasis.of(finding, drafts);
            Optional<RepeatedCardPolicy.Repeat> repeat = basis.flatMap(b -> repeats.repeatOf(
                    new RepeatedCardPolicy.SignCard(finding.severity(), b, request.encounterId()), mode, earlier,
                    asOf));
            if (repeat.isPresent()) {
                noteRepeat(finding, request, caller, asOf, repeat.get(), response, shown, service);
                continue;
            }
            FindingCards.IssuedCard card = cards.card(finding, request.patientId(), request.readsOwnStore());
            response.addCard(card.json());
            shown.add(new CardLog.ShownCard(card.json().getUuid(), service.id(), request.hookInstance(),
                    request.patientId(), finding.topic().code(), indicator(finding), asOf,
                    new CardLog.Issued(caller, request.userId(), request.encounterId(),
                            basis.map(CardBasis::finding), basis.map(CardBasis::drafts),
                            basis.flatMap(CardBasis::draftIds),
                            service.hook() == CdsHook.ORDER_SELECT
                                    ? request.pddi().cacheForOrderSignFiltering() : Optional.empty(),
                            Optional.empty(), card.suggestions())));
        }
        try {
            cardLog.recordShown(shown);
        } catch (DataAccessException e) {
            // The cards are the safety message and go out regardless; the log loses these entries.
            log.warn("Could not log {} shown card(s) of a {} call ({}); the cards were still returned",
                    shown.size(), service.id(), e.getClass().getSimpleName());
        }
        return response;
    }

    /**
     * The cards order-select showed this prescriber about this patient through this caller, recently. If they cannot
     * be read, nothing counts as already answered: every card is shown in full.
     */
    private List<CardLog.CardOutcome> earlierCards(CdsRequest request, Optional<String> caller, Instant asOf) {
        try {
            return cardLog.shownTo(CdsServiceDefinition.ORDER_SELECT.id(), request.patientId(), caller,
                    request.userId().orElseThrow(), asOf.minus(coordination.maxAge()));
        } catch (DataAccessException e) {
            log.warn("Could not read the cards shown at order-select ({}); every card is shown in full",
                    e.getClass().getSimpleName());
            return List.of();
        }
    }

    /** In place of a repeated card: the acknowledgement note (or nothing, if configured so), logged either way. */
    private void noteRepeat(Finding finding, CdsRequest request, Optional<String> caller, Instant asOf,
                            RepeatedCardPolicy.Repeat repeat, CdsServiceResponseJson response,
                            List<CardLog.ShownCard> shown, CdsServiceDefinition service) {
        CardLog.CardOutcome earlier = repeat.earlier();
        Optional<CardLog.Feedback> feedback = earlier.feedback();
        String uuid;
        String indicator;
        if (coordination.acknowledgementCard()) {
            FindingCards.IssuedCard note = cards.acknowledgement(finding, request.patientId(),
                    request.readsOwnStore(),
                    feedback.map(CardLog.Feedback::acknowledgedAt).orElse(earlier.card().shownAt()),
                    coordination.timeZone(), feedback, earlier.card().issued().suggestions(),
                    coordination.maxAge());
            response.addCard(note.json());
            uuid = note.json().getUuid();
            indicator = "info";
        } else {
            uuid = java.util.UUID.randomUUID().toString();
            indicator = "not-shown";
        }
        shown.add(new CardLog.ShownCard(uuid, service.id(), request.hookInstance(), request.patientId(),
                finding.topic().code(), indicator, asOf,
                new CardLog.Issued(caller, request.userId(), request.encounterId(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(earlier.card().cardUuid()), java.util.Map.of())));
    }

    private static String indicator(Finding finding) {
        return finding.severity().name().toLowerCase(Locale.ROOT);
    }

    private static Trigger trigger(CdsHook hook) {
        return switch (hook) {
            case ORDER_SELECT -> Trigger.ORDER_SELECT;
            case ORDER_SIGN -> Trigger.ORDER_SIGN;
            case PATIENT_VIEW -> Trigger.PATIENT_VIEW;
        };
    }
}
