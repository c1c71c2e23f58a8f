package org.ntx.cds;

import org.ntx.cardlog.CardLog;
import org.ntx.rules.Severity;
import org.ntx.rules.SuggestedAction;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One interruption per ordering decision: whether a card order-sign is about to show repeats one the same prescriber
 * already saw at order-select for the same patient and the same unchanged draft. Pure: it reads the earlier cards it
 * is given and an explicit {@code asOf}; the scenario table {@code scenarios/coordination.csv} states it row by row.
 *
 * <p>Two ways a card counts as already dealt with, decided by the order-sign request:
 * <ul>
 *   <li><b>The PDDI CDS IG's advanced coordination</b> ({@code extension.pddi-configuration-items}): with
 *       {@code filter-out-repeated-alerts: true} at order-sign, a card is filtered when the same card (same topic,
 *       severity, evidence; same product, dose and route) was returned to the same prescriber, patient and encounter
 *       by an order-select request that sent {@code cache-for-order-sign-filtering: true}, whatever its indicator,
 *       unless feedback says a suggestion of it was accepted (the IG's tables: an accepted action is not filtered).
 *       With {@code filter-out-repeated-alerts: false} nothing is filtered, whatever feedback says: the EHR decides
 *       (the IG's teaching-hospital example: a resident selects, an attending signs).</li>
 *   <li><b>Beyond the IG, for clients that send feedback but no extension</b> (the CDS Hooks sandbox): a warning or
 *       critical card answered through feedback at order-select (overridden, with or without a reason, or a
 *       suggestion accepted) is not repeated for the same draft (same client-given draft id too), unless the only
 *       suggestion accepted was to remove that very draft, which is still being signed: then the removal did not
 *       happen and the card is shown in full.</li>
 * </ul>
 * Either way only cards of the same patient, prescriber and caller count (the card log query narrows to them; this
 * policy checks the encounter), and nothing older than {@code maxAge}: for an acknowledgement, counted from when it
 * was given; for a cached card, from when it was shown.
 */
final class RepeatedCardPolicy {

    /** What the order-sign request asked for. */
    enum Mode {
        /** {@code filter-out-repeated-alerts: true}. */
        PDDI_FILTER,
        /** No PDDI option sent: answered cards are remembered (when configured). */
        ANSWERED_CARDS,
        /** {@code filter-out-repeated-alerts: false}, or nothing configured: every card is shown. */
        SHOW_ALL
    }

    /** A card order-sign would show. */
    record SignCard(Severity severity, CardBasis basis, Optional<String> encounterId) {}

    /** An earlier card this one repeats, and why it need not be shown again. */
    record Repeat(CardLog.CardOutcome earlier, Mode mode) {}

    private final Duration maxAge;

    RepeatedCardPolicy(Duration maxAge) {
        this.maxAge = maxAge;
    }

    static Mode mode(Optional<Boolean> filterOutRepeatedAlerts, boolean rememberAnsweredCards) {
        if (filterOutRepeatedAlerts.isPresent()) {
            return filterOutRepeatedAlerts.get() ? Mode.PDDI_FILTER : Mode.SHOW_ALL;
        }
        return rememberAnsweredCards ? Mode.ANSWERED_CARDS : Mode.SHOW_ALL;
    }

    /** The most recent earlier card this one repeats, if it need not be shown again. */
    Optional<Repeat> repeatOf(SignCard card, Mode mode, List<CardLog.CardOutcome> earlier, Instant asOf) {
        if (mode == Mode.SHOW_ALL) {
            return Optional.empty();
        }
        Instant oldest = asOf.minus(maxAge);
        return earlier.stream()
                .filter(e -> sameCard(card, e.card()))
                .filter(e -> mode == Mode.PDDI_FILTER ? cachedAndNotActedOn(e, oldest) : answered(card, e, oldest))
                .max(Comparator.comparing(e -> e.card().shownAt()))
                .map(e -> new Repeat(e, mode));
    }

    private static boolean sameCard(SignCard card, CardLog.ShownCard earlier) {
        CardLog.Issued issued = earlier.issued();
        return issued.basis().equals(Optional.of(card.basis().finding()))
                && issued.drafts().equals(Optional.of(card.basis().drafts()))
                && issued.encounterId().equals(card.encounterId())
                && !issued.cacheForSign().equals(Optional.of(false))
                // Both sides named their drafts: the names must agree too.
                && (card.basis().draftIds().isEmpty() || issued.draftIds().isEmpty()
                        || issued.draftIds().equals(card.basis().draftIds()));
    }

    /** The IG: cached at order-select, recent enough, and no suggestion of it accepted since. */
    private static boolean cachedAndNotActedOn(CardLog.CardOutcome earlier, Instant oldest) {
        return earlier.card().issued().cacheForSign().equals(Optional.of(true))
                && !earlier.card().shownAt().isBefore(oldest)
                && earlier.feedback().map(f -> !f.outcome().equals("accepted")).orElse(true);
    }

    /** Beyond the IG: answered through feedback, recently, in a way that still holds for this draft. */
    private static boolean answered(SignCard card, CardLog.CardOutcome earlier, Instant oldest) {
        if (card.severity() == Severity.INFO || card.basis().draftIds().isEmpty()) {
            return false;
        }
        return earlier.feedback()
                .filter(f -> !f.acknowledgedAt().isBefore(oldest))
                .filter(f -> !f.outcome().equals("accepted") || acceptedMoreThanRemoval(f, earlier.card()))
                .isPresent();
    }

    /**
     * An accepted "remove the draft" for a draft that is signed anyway did not happen; any other accepted suggestion
     * (order a liver panel, prescribe naloxone, a naloxone challenge) is an answer the prescriber acted on.
     */
    private static boolean acceptedMoreThanRemoval(CardLog.Feedback feedback, CardLog.ShownCard card) {
        return feedback.acceptedSuggestions().stream()
                .map(id -> card.issued().suggestions().getOrDefault(id, ""))
                .anyMatch(kind -> !kind.equals(SuggestedAction.REMOVE_DRAFT_ORDER.name()));
    }
}
