package org.ntx.rules;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.SourceRef;

/**
 * What a rule concluded, with everything a CDS card, a status parameter or an OperationOutcome issue needs. The rule
 * decides what is true; the transport layer decides how it looks.
 *
 * @param topic           what it is about; {@link Topic#code()} is the CodeSystem code
 * @param severity        how urgent
 * @param summary         one line for the card summary, fewer than 140 characters
 * @param detail          a longer explanation in plain text that is also valid Markdown (bullets, no HTML)
 * @param evidence        the records the conclusion rests on
 * @param citations       where the thresholds used come from
 * @param suggestions     what the clinician could do, in enum order
 * @param draftOrders     the draft orders under review this finding is about (targets of
 *                        {@link SuggestedAction#REMOVE_DRAFT_ORDER}); empty for patient-level findings
 * @param unavailableData for {@link Topic#DATA_UNAVAILABLE}, which kind of data was missing
 */
public record Finding(
        Topic topic,
        Severity severity,
        String summary,
        String detail,
        List<Evidence> evidence,
        List<Citation> citations,
        Set<SuggestedAction> suggestions,
        List<SourceRef> draftOrders,
        Optional<DataKind> unavailableData) {

    /** CDS Hooks requires card summaries under 140 characters. */
    public static final int MAX_SUMMARY_LENGTH = 139;

    public Finding {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(detail, "detail");
        if (summary.isBlank() || summary.length() > MAX_SUMMARY_LENGTH) {
            throw new IllegalArgumentException("summary must be 1.." + MAX_SUMMARY_LENGTH + " characters: " + summary);
        }
        evidence = List.copyOf(evidence);
        citations = List.copyOf(citations);
        suggestions = suggestions.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(suggestions));
        draftOrders = List.copyOf(draftOrders);
        Objects.requireNonNull(unavailableData, "unavailableData");
    }

    /** A finding about the clinical picture (every topic except {@link Topic#DATA_UNAVAILABLE}). */
    static Finding clinical(Topic topic, Severity severity, String summary, String detail,
            Collection<Evidence> evidence, Collection<Citation> citations, Collection<SuggestedAction> suggestions,
            Collection<SourceRef> draftOrders) {
        return new Finding(topic, severity, summary, detail, List.copyOf(evidence), List.copyOf(citations),
                Set.copyOf(suggestions), List.copyOf(draftOrders), Optional.empty());
    }
}
