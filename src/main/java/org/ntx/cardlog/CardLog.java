package org.ntx.cardlog;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable record of every card shown and what the clinician did with it (the CDS Hooks feedback endpoint), kept in
 * the application database beside HAPI's tables so research outcomes can count acceptance and override rates. The CDS
 * services write it and the research outcomes read it, so it belongs to neither.
 */
@Repository
public class CardLog {

    private final JdbcTemplate jdbc;

    public CardLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // Portable DDL (H2 and PostgreSQL); the table is ours, HAPI's schema tool does not know it.
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
    }

    /** A card as it was shown. */
    public record ShownCard(
            String cardUuid, String serviceId, String hookInstance, String patientId, String topic, String indicator,
            Instant shownAt) {}

    /** A card with the clinician's response, if any. */
    public record CardOutcome(ShownCard card, Optional<String> outcome, Optional<String> overrideReason) {}

    public void recordShown(List<ShownCard> cards) {
        jdbc.batchUpdate("""
                        INSERT INTO ntx_cds_card (card_uuid, service_id, hook_instance, patient_id, topic, indicator,
                            shown_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                cards, cards.size(), (statement, card) -> {
                    statement.setString(1, card.cardUuid());
                    statement.setString(2, card.serviceId());
                    statement.setString(3, card.hookInstance());
                    statement.setString(4, card.patientId());
                    statement.setString(5, card.topic());
                    statement.setString(6, card.indicator());
                    statement.setTimestamp(7, Timestamp.from(card.shownAt()));
                });
    }

    /**
     * Stores the clinician's response to a card this service issued.
     *
     * @return false if no card with that uuid was issued by this service
     */
    public boolean recordOutcome(String serviceId, String cardUuid, String outcome, String overrideReason,
                          String acceptedSuggestions, Instant at) {
        int updated = jdbc.update("""
                        UPDATE ntx_cds_card SET outcome = ?, override_reason = ?, accepted_suggestions = ?,
                            outcome_at = ? WHERE card_uuid = ? AND service_id = ?""",
                outcome, overrideReason, acceptedSuggestions, Timestamp.from(at), cardUuid, serviceId);
        return updated > 0;
    }

    /** Every card shown in [from, to), with outcomes: the research outcomes read this. */
    public List<CardOutcome> shownBetween(Instant from, Instant to) {
        return jdbc.query("""
                        SELECT card_uuid, service_id, hook_instance, patient_id, topic, indicator, shown_at, outcome,
                            override_reason FROM ntx_cds_card WHERE shown_at >= ? AND shown_at < ? ORDER BY shown_at""",
                (rs, row) -> new CardOutcome(
                        new ShownCard(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()),
                        Optional.ofNullable(rs.getString(8)), Optional.ofNullable(rs.getString(9))),
                Timestamp.from(from), Timestamp.from(to));
    }
}
