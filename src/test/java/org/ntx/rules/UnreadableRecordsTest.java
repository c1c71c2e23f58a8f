package org.ntx.rules;

import org.ntx.timeline.DataKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored records that could not be read are named, on the finding for their kind or on one of their own. */
class UnreadableRecordsTest {

    static final Finding BLOCKADE = new Finding(Topic.OPIOID_BLOCKADE_CONFLICT, Severity.CRITICAL, "blockade",
            "detail", List.of(), List.of(), Set.of(), List.of(), Optional.empty());
    static final Finding NO_LABS = new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING, "no labs", "detail",
            List.of(), List.of(), Set.of(), List.of(), Optional.of(DataKind.OBSERVATIONS));

    @Test
    void namesThemOnTheFindingOfTheirKindAndKeepsTheOthers() {
        List<Finding> named = UnreadableRecords.named(List.of(BLOCKADE, NO_LABS),
                Map.of(DataKind.OBSERVATIONS, List.of("Observation/7")));
        assertThat(named).hasSize(2);
        assertThat(named.get(0)).isEqualTo(BLOCKADE);
        assertThat(named.get(1).detail()).contains("Observation/7");
    }

    @Test
    void namesThemOnAFindingOfTheirOwnWhenNoCheckNeededTheirKind() {
        List<Finding> named = UnreadableRecords.named(List.of(BLOCKADE),
                Map.of(DataKind.CONDITIONS, List.of("Condition/3")));
        assertThat(named).hasSize(2).first().isEqualTo(BLOCKADE);
        assertThat(named.get(1).topic()).isEqualTo(Topic.DATA_UNAVAILABLE);
        assertThat(named.get(1).detail()).contains("Condition/3");
        assertThat(UnreadableRecords.named(List.of(BLOCKADE), Map.of())).containsExactly(BLOCKADE);
    }
}
