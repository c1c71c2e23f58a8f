package org.ntx.cardlog;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Durable record of every card shown and what the clinician did with it (the CDS Hooks feedback endpoint), kept in
 * the application database beside HAPI's tables. The research outcomes count acceptance and override rates from it,
 * and order-sign reads it to recognise a card the same prescriber already answered at order-select: because it is a
 * table, that memory survives a restart and is shared by every node on the same database. The CDS services write it
 * and the research outcomes read it, so it belongs to neither.
 */
@Repository
public class CardLog {

    private static final String COLUMNS = """
            card_uuid, service_id, hook_instance, patient_id, topic, indicator, shown_at, caller, user_id,
            encounter_id, basis, drafts, draft_ids, coordination, repeat_of, suggestion_ids, outcome, override_reason,
            override_reason_system, accepted_suggestions, outcome_at, answered_at""";

    private final JdbcTemplate jdbc;

    public CardLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // Portable DDL (H2 and PostgreSQL); the table is ours, HAPI's schema tool does not know it. Columns added
        // after the first release are added to existing databases in place.
        jdbc.execute("""
                CREATE TABLE IF NOT EXISTS ntx_cds_card (
                    card_uuid VARCHAR(64) PRIMARY KEY,
                    service_id VARCHAR(64) NOT NULL,
                    hook_instance VARCHAR(128) NOT NULL,
                    patient_id VARCHAR(64) NOT NULL,
                    topic VARCHAR(64) NOT NULL,
                    indicator VARCHAR(16) NOT NULL,
                    shown_at TIMESTAMP WITH TIME ZONE NOT NULL,
                    outcome VARCHAR(16),
                    override_reason VARCHAR(64),
                    accepted_suggestions VARCHAR(512),
                    outcome_at TIMESTAMP WITH TIME ZONE
                )""");
        for (String column : List.of(
                "caller VARCHAR(300)", "user_id VARCHAR(256)", "encounter_id VARCHAR(128)", "basis VARCHAR(64)",
                "drafts VARCHAR(64)", "draft_ids VARCHAR(1024)", "coordination VARCHAR(16)", "repeat_of VARCHAR(64)",
                "suggestion_ids VARCHAR(1024)", "override_reason_system VARCHAR(256)",
                "answered_at TIMESTAMP WITH TIME ZONE")) {
            jdbc.execute("ALTER TABLE ntx_cds_card ADD COLUMN IF NOT EXISTS " + column);
        }
        jdbc.execute("CREATE INDEX IF NOT EXISTS ntx_cds_card_patient ON ntx_cds_card (patient_id, shown_at)");
    }

    /**
     * A card as it was shown.
     *
     * @param issued to whom, in which context, and what the card rests on
     */
    public record ShownCard(
            String cardUuid, String serviceId, String hookInstance, String patientId, String topic, String indicator,
            Instant shownAt, Issued issued) {

        public ShownCard {
            Objects.requireNonNull(issued, "issued");
        }
    }

    /**
     * The circumstances of a card, so feedback can be checked against it and a later card recognised as the same.
     *
     * @param caller        who called: the CDS client's {@code iss}, or the web page's user; empty with
     *                      authentication off
     * @param userId        {@code context.userId}, the prescriber
     * @param encounterId   {@code context.encounterId}
     * @param basis         a digest of what the card says and rests on (topic, severity, evidence); empty for cards that
     *                      are never matched (patient view: no draft)
     * @param drafts        a digest of the draft orders it is about (product, dose, route)
     * @param draftIds      the ids the client gave those drafts, sorted; empty if any had none
     * @param cacheForSign  the PDDI {@code cache-for-order-sign-filtering} option of the request, when it sent one
     * @param repeatOf      for a note that stands in for a repeated card: the uuid of the card first shown
     * @param suggestions   the card's suggestions, uuid to the kind of action (which accepted feedback must name)
     */
    public record Issued(
            Optional<String> caller, Optional<String> userId, Optional<String> encounterId, Optional<String> basis,
            Optional<String> drafts, Optional<String> draftIds, Optional<Boolean> cacheForSign,
            Optional<String> repeatOf, Map<String, String> suggestions) {

        public Issued {
            suggestions = Collections.unmodifiableMap(new LinkedHashMap<>(suggestions));
        }

        public static Issued minimal() {
            return new Issued(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
        }
    }

    /** An override reason as the client sent it; the system is empty when the client left it out. */
    public record ReasonCode(Optional<String> system, String code) {}

    /**
     * What the clinician did with a card.
     *
     * @param outcome             {@code accepted} or {@code overridden}
     * @param reason              the override reason, when one was given
     * @param acceptedSuggestions uuids of the accepted suggestions
     * @param outcomeAt           when the clinician acted, as the client reported it
     * @param receivedAt          when this server received the feedback
     */
    public record Feedback(String outcome, Optional<ReasonCode> reason, List<String> acceptedSuggestions,
                           Instant outcomeAt, Instant receivedAt) {

        public Feedback {
            acceptedSuggestions = List.copyOf(acceptedSuggestions);
        }

        /** The same answer (ignoring when it was given): a repeat of it is not a new answer. */
        public boolean sameAnswerAs(Feedback other) {
            return outcome.equals(other.outcome) && reason.equals(other.reason)
                    && acceptedSuggestions.stream().sorted().toList()
                    .equals(other.acceptedSuggestions.stream().sorted().toList());
        }

        /**
         * When the clinician acknowledged the card, as far as this server can vouch for it: the client's timestamp,
         * but never later than the moment the feedback arrived (a client clock running ahead cannot stretch it).
         */
        public Instant acknowledgedAt() {
            return outcomeAt.isAfter(receivedAt) ? receivedAt : outcomeAt;
        }
    }

    /** A card with the clinician's response, if any. */
    public record CardOutcome(ShownCard card, Optional<Feedback> feedback) {

        /** {@code accepted} or {@code overridden}, once answered. */
        public Optional<String> outcome() {
            return feedback.map(Feedback::outcome);
        }
    }

    public void recordShown(List<ShownCard> cards) {
        jdbc.batchUpdate("""
                        INSERT INTO ntx_cds_card (card_uuid, service_id, hook_instance, patient_id, topic, indicator,
                            shown_at, caller, user_id, encounter_id, basis, drafts, draft_ids, coordination,
                            repeat_of, suggestion_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                cards, cards.size(), (statement, card) -> {
                    Issued issued = card.issued();
                    statement.setString(1, card.cardUuid());
                    statement.setString(2, card.serviceId());
                    statement.setString(3, card.hookInstance());
                    statement.setString(4, card.patientId());
                    statement.setString(5, card.topic());
                    statement.setString(6, card.indicator());
                    statement.setTimestamp(7, Timestamp.from(card.shownAt()));
                    statement.setString(8, issued.caller().orElse(null));
                    statement.setString(9, issued.userId().orElse(null));
                    statement.setString(10, issued.encounterId().orElse(null));
                    statement.setString(11, issued.basis().orElse(null));
                    statement.setString(12, issued.drafts().orElse(null));
                    statement.setString(13, issued.draftIds().orElse(null));
                    statement.setString(14, issued.cacheForSign().map(cache -> cache ? "cache" : "no-cache")
                            .orElse(null));
                    statement.setString(15, issued.repeatOf().orElse(null));
                    statement.setString(16, issued.suggestions().isEmpty() ? null
                            : issued.suggestions().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
                });
    }

    /** The card with this uuid, whoever it was issued to, with its feedback if any. */
    public Optional<CardOutcome> find(String cardUuid) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ntx_cds_card WHERE card_uuid = ?", ROW, cardUuid).stream()
                .findFirst();
    }

    /**
     * Stores the clinician's response to a card that has none yet; a card is answered once (CDS Hooks 2.0: a user
     * accepts or overrides a card once). Atomic across nodes: of two answers arriving together exactly one is stored.
     *
     * @return false if the card already had an answer (or does not exist): read it with {@link #find} to compare
     */
    public boolean recordFeedback(String cardUuid, Feedback feedback) {
        int updated = jdbc.update("""
                        UPDATE ntx_cds_card SET outcome = ?, override_reason = ?, override_reason_system = ?,
                            accepted_suggestions = ?, outcome_at = ?, answered_at = ?
                            WHERE card_uuid = ? AND outcome IS NULL""",
                feedback.outcome(), feedback.reason().map(ReasonCode::code).orElse(null),
                feedback.reason().flatMap(ReasonCode::system).orElse(null),
                feedback.acceptedSuggestions().isEmpty() ? null : String.join(",", feedback.acceptedSuggestions()),
                Timestamp.from(feedback.outcomeAt()), Timestamp.from(feedback.receivedAt()), cardUuid);
        return updated > 0;
    }

    /**
     * The cards one service showed one prescriber about one patient, through one caller, since a moment: what
     * order-sign compares its cards with. Cards with nothing to compare ({@code basis} empty) are left out.
     */
    public List<CardOutcome> shownTo(String serviceId, String patientId, Optional<String> caller, String userId,
                                     Instant since) {
        String sql = "SELECT " + COLUMNS + " FROM ntx_cds_card WHERE service_id = ? AND patient_id = ?"
                + " AND user_id = ? AND shown_at >= ? AND basis IS NOT NULL AND "
                + (caller.isPresent() ? "caller = ?" : "caller IS NULL") + " ORDER BY shown_at DESC";
        Timestamp from = Timestamp.from(since);
        return caller.isPresent()
                ? jdbc.query(sql, ROW, serviceId, patientId, userId, from, caller.get())
                : jdbc.query(sql, ROW, serviceId, patientId, userId, from);
    }

    /** Every card shown in [from, to), with outcomes: the research outcomes read this. */
    public List<CardOutcome> shownBetween(Instant from, Instant to) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ntx_cds_card WHERE shown_at >= ? AND shown_at < ?"
                        + " ORDER BY shown_at",
                ROW, Timestamp.from(from), Timestamp.from(to));
    }

    private static final RowMapper<CardOutcome> ROW = (rs, row) -> {
        String coordination = rs.getString("coordination");
        Issued issued = new Issued(text(rs, "caller"), text(rs, "user_id"), text(rs, "encounter_id"),
                text(rs, "basis"), text(rs, "drafts"), text(rs, "draft_ids"),
                coordination == null ? Optional.empty() : Optional.of(coordination.equals("cache")),
                text(rs, "repeat_of"), suggestions(rs.getString("suggestion_ids")));
        ShownCard card = new ShownCard(rs.getString("card_uuid"), rs.getString("service_id"),
                rs.getString("hook_instance"), rs.getString("patient_id"), rs.getString("topic"),
                rs.getString("indicator"), rs.getTimestamp("shown_at").toInstant(), issued);
        String outcome = rs.getString("outcome");
        if (outcome == null) {
            return new CardOutcome(card, Optional.empty());
        }
        Instant outcomeAt = rs.getTimestamp("outcome_at").toInstant();
        Timestamp answered = rs.getTimestamp("answered_at");
        String reasonCode = rs.getString("override_reason");
        Optional<ReasonCode> reason = reasonCode == null ? Optional.empty()
                : Optional.of(new ReasonCode(text(rs, "override_reason_system"), reasonCode));
        return new CardOutcome(card, Optional.of(new Feedback(outcome, reason,
                list(rs.getString("accepted_suggestions")), outcomeAt,
                answered == null ? outcomeAt : answered.toInstant())));
    };

    private static Optional<String> text(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    private static Map<String, String> suggestions(String joined) {
        Map<String, String> suggestions = new LinkedHashMap<>();
        for (String entry : list(joined)) {
            int equals = entry.indexOf('=');
            suggestions.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
        }
        return suggestions;
    }

    private static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
