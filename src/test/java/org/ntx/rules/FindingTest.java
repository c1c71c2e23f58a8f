package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class FindingTest {

    @Test
    void topicCodesMatchTheProjectCodeSystem() {
        assertThat(Arrays.stream(Topic.values()).map(Topic::code)).containsExactly(
                "opioid-blockade-conflict", "induction-window", "liver-function", "overdose-risk",
                "treatment-status", "data-unavailable");
    }

    @Test
    void acceptsASummaryOf139CharactersAndRejects140() {
        assertThat(finding("x".repeat(139)).summary()).hasSize(139);
        assertThatThrownBy(() -> finding("x".repeat(140))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsSuggestionsInEnumOrderWhateverOrderTheRuleGaveThem() {
        Finding finding = Finding.clinical(Topic.INDUCTION_WINDOW, Severity.WARNING, "s", "d", List.of(),
                List.of(Citation.OPIOID_FREE_INTERVAL),
                List.of(SuggestedAction.NALOXONE_CHALLENGE, SuggestedAction.REMOVE_DRAFT_ORDER), List.of());

        assertThat(finding.suggestions()).containsExactly(SuggestedAction.REMOVE_DRAFT_ORDER,
                SuggestedAction.NALOXONE_CHALLENGE);
    }

    private static Finding finding(String summary) {
        return Finding.clinical(Topic.OVERDOSE_RISK, Severity.WARNING, summary, "detail", List.of(),
                List.of(Citation.OVERDOSE_AFTER_LAPSE), List.of(SuggestedAction.PRESCRIBE_NALOXONE), List.of());
    }
}
