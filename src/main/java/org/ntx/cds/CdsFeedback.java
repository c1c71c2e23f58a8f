package org.ntx.cds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.cardlog.CardLog;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.OverrideReason;
import org.ntx.rules.Topic;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The feedback endpoint (CDS Hooks 2.0 §Feedback): {@code {"feedback": [{card, outcome, acceptedSuggestions,
 * overrideReason, outcomeTimestamp}]}}. Feedback is stored as it was meant:
 *
 * <ul>
 *   <li>an {@code overridden} outcome without a reason (a dismissal) is an override with no reason, never a made-up
 *       code; a reason from our CodeSystem must be one the card offered;</li>
 *   <li>an {@code accepted} outcome names at least one suggestion of that card;</li>
 *   <li>the card must have been issued by this service, to this caller (the same CDS client, or a web page user
 *       allowed to read that patient);</li>
 *   <li>a card is answered once: the same answer again is accepted and changes nothing, a different one is refused.</li>
 * </ul>
 *
 * The whole request is refused, and nothing stored, if any item is refused.
 */
@Component
class CdsFeedback {

    private final CardLog cardLog;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    CdsFeedback(CardLog cardLog, Clock clock) {
        this.cardLog = cardLog;
        this.clock = clock;
    }

    /**
     * Who sends the feedback.
     *
     * @param id           the caller as cards are logged for it (see {@link CdsCaller})
     * @param patientCheck throws when the caller may not act on this patient's record (the web page's user token);
     *                     CDS clients are bound through {@code id} instead
     */
    record Sender(Optional<String> id, Consumer<String> patientCheck) {}

    /** What a feedback request did: items newly stored, and items that repeated an answer already stored. */
    record Result(int stored, int alreadyRecorded) {}

    private record Item(String card, String outcome, Optional<CardLog.ReasonCode> reason, List<String> accepted,
                        Instant at) {}

    @Transactional
    Result record(CdsServiceDefinition service, String body, Sender sender) {
        List<Item> items = parse(body);
        Instant received = clock.instant();
        int stored = 0;
        int repeated = 0;
        for (Item item : items) {
            CardLog.CardOutcome logged = cardLog.find(item.card()).orElseThrow(() -> CdsRequestException.badRequest(
                    "Card '" + item.card() + "' was not issued by service '" + service.id() + "'"));
            CardLog.ShownCard card = logged.card();
            if (!card.serviceId().equals(service.id())) {
                throw CdsRequestException.badRequest("Card '" + item.card() + "' was not issued by service '"
                        + service.id() + "': send its feedback to the service that issued it");
            }
            if (!card.issued().caller().equals(sender.id())) {
                throw new CdsRequestException(HttpStatus.FORBIDDEN,
                        "Card '" + item.card() + "' was not issued to this client");
            }
            sender.patientCheck().accept(card.patientId());
            check(item, card);

            CardLog.Feedback feedback = new CardLog.Feedback(item.outcome(), item.reason(), item.accepted(),
                    item.at(), received);
            if (cardLog.recordFeedback(item.card(), feedback)) {
                stored++;
                continue;
            }
            CardLog.Feedback earlier = cardLog.find(item.card()).flatMap(CardLog.CardOutcome::feedback)
                    .orElseThrow(() -> new IllegalStateException("feedback vanished for " + item.card()));
            if (!earlier.sameAnswerAs(feedback)) {
                throw new CdsRequestException(HttpStatus.CONFLICT, "Card '" + item.card() + "' was already "
                        + earlier.outcome() + earlier.reason().map(r -> " (" + r.code() + ")").orElse("")
                        + " at " + earlier.outcomeAt() + "; a card is answered once");
            }
            repeated++;
        }
        return new Result(stored, repeated);
    }

    /** The answer must fit the card: an offered reason, an offered suggestion. */
    private static void check(Item item, CardLog.ShownCard card) {
        if (item.outcome().equals("accepted")) {
            Map<String, String> offered = card.issued().suggestions();
            if (!offered.isEmpty()) {
                for (String id : item.accepted()) {
                    if (!offered.containsKey(id)) {
                        throw CdsRequestException.badRequest("Suggestion '" + id + "' is not one of card '"
                                + item.card() + "''s suggestions");
                    }
                }
            }
            return;
        }
        item.reason().filter(reason -> reason.system().map(Canonicals.CODE_SYSTEM::equals).orElse(true))
                .ifPresent(reason -> {
                    List<String> offered = topic(card.topic()).map(OverrideReason::forTopic).orElse(List.of())
                            .stream().map(OverrideReason::code).toList();
                    if (!offered.contains(reason.code())) {
                        throw CdsRequestException.badRequest("Override reason '" + reason.code() + "' is not one"
                                + " this card offered" + (offered.isEmpty() ? " (it offered none)"
                                : ": " + String.join(", ", offered)));
                    }
                });
    }

    private static Optional<Topic> topic(String code) {
        return Arrays.stream(Topic.values()).filter(topic -> topic.code().equals(code)).findFirst();
    }

    private List<Item> parse(String body) {
        JsonNode root;
        try {
            root = body == null ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw CdsRequestException.badRequest("The feedback body is not valid JSON");
        }
        JsonNode feedback = root == null ? null : root.get("feedback");
        if (feedback == null || !feedback.isArray() || feedback.isEmpty()) {
            throw CdsRequestException.badRequest("'feedback' must be a non-empty array");
        }
        List<Item> items = new ArrayList<>();
        for (JsonNode node : feedback) {
            String card = text(node, "card");
            String outcome = text(node, "outcome");
            if (card == null || !("accepted".equals(outcome) || "overridden".equals(outcome))) {
                throw CdsRequestException.badRequest(
                        "Each feedback item needs 'card' and an 'outcome' of accepted or overridden");
            }
            if (card.length() > 64) {
                throw CdsRequestException.badRequest("'card' takes at most 64 characters (a card uuid)");
            }
            Optional<CardLog.ReasonCode> reason = reason(node.get("overrideReason"));
            List<String> accepted = acceptedSuggestions(node.get("acceptedSuggestions"));
            if (outcome.equals("accepted")) {
                if (accepted.isEmpty()) {
                    throw CdsRequestException.badRequest("An 'accepted' outcome names the accepted suggestions in"
                            + " 'acceptedSuggestions' ([{\"id\": \"<suggestion uuid>\"}])");
                }
                if (reason.isPresent()) {
                    throw CdsRequestException.badRequest("An 'accepted' outcome carries no 'overrideReason'");
                }
            } else if (!accepted.isEmpty()) {
                throw CdsRequestException.badRequest("An 'overridden' outcome accepts no suggestions");
            }
            items.add(new Item(card, outcome, reason, accepted, timestamp(text(node, "outcomeTimestamp"))));
        }
        return items;
    }

    /**
     * {@code overrideReason.reason}, a Coding. Absent, or an {@code overrideReason} with only a {@code userComment},
     * is an override without a reason. The comment is free text that may identify someone: it is not stored.
     */
    private static Optional<CardLog.ReasonCode> reason(JsonNode overrideReason) {
        if (overrideReason == null || overrideReason.isNull()) {
            return Optional.empty();
        }
        if (!overrideReason.isObject()) {
            throw CdsRequestException.badRequest("'overrideReason' must be an object with a 'reason' Coding");
        }
        JsonNode coding = overrideReason.get("reason");
        if (coding == null || coding.isNull()) {
            return Optional.empty();
        }
        String code = coding.isObject() ? text(coding, "code") : null;
        if (code == null) {
            throw CdsRequestException.badRequest("'overrideReason.reason' must be a Coding with a 'code'");
        }
        Optional<String> system = Optional.ofNullable(text(coding, "system"));
        if (code.length() > 64 || system.filter(s -> s.length() > 256).isPresent()) {
            throw CdsRequestException.badRequest("The override reason's code takes at most 64 characters, its"
                    + " system 256");
        }
        return Optional.of(new CardLog.ReasonCode(system, code));
    }

    private static List<String> acceptedSuggestions(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw CdsRequestException.badRequest("'acceptedSuggestions' must be an array of {\"id\": ...}");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode suggestion : node) {
            String id = text(suggestion, "id");
            if (id == null) {
                throw CdsRequestException.badRequest("Each accepted suggestion needs an 'id'");
            }
            ids.add(id);
        }
        if (ids.stream().collect(Collectors.joining(",")).length() > 512 || ids.stream().anyMatch(i -> i.contains(","))) {
            throw CdsRequestException.badRequest("The accepted suggestion ids take at most 512 characters together");
        }
        return ids;
    }

    private Instant timestamp(String value) {
        if (value == null) {
            return clock.instant();
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw CdsRequestException.badRequest("'outcomeTimestamp' must be an ISO 8601 date-time with offset");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
