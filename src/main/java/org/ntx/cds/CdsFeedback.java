package org.ntx.cds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.cardlog.CardLog;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The feedback endpoint (CDS Hooks 2.0 §Feedback): {@code {"feedback": [{card, outcome, acceptedSuggestions,
 * overrideReason, outcomeTimestamp}]}}. Each item must name a card this service issued; the whole request is
 * rejected, and nothing stored, if any item is malformed.
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

    private record Item(String card, String outcome, String overrideReason, String acceptedSuggestions, Instant at) {}

    @Transactional
    int record(CdsServiceDefinition service, String body) {
        List<Item> items = parse(body);
        for (Item item : items) {
            boolean known = cardLog.recordOutcome(service.id(), item.card(), item.outcome(), item.overrideReason(),
                    item.acceptedSuggestions(), item.at());
            if (!known) {
                throw CdsRequestException.badRequest(
                        "Card '" + item.card() + "' was not issued by service '" + service.id() + "'");
            }
        }
        return items.size();
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
            String reason = node.path("overrideReason").path("reason").path("code").isTextual()
                    ? node.path("overrideReason").path("reason").path("code").asText()
                    : null;
            List<String> accepted = new ArrayList<>();
            node.path("acceptedSuggestions").forEach(s -> {
                if (s.path("id").isTextual()) {
                    accepted.add(s.path("id").asText());
                }
            });
            String acceptedIds = accepted.isEmpty() ? null : String.join(",", accepted);
            if (card.length() > 64 || (reason != null && reason.length() > 64)
                    || (acceptedIds != null && acceptedIds.length() > 512)) {
                throw CdsRequestException.badRequest("A feedback item is too long: 'card' and the override reason"
                        + " code take at most 64 characters, the accepted suggestion ids 512 together");
            }
            items.add(new Item(card, outcome, reason, acceptedIds, timestamp(text(node, "outcomeTimestamp"))));
        }
        return items;
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
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
