package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.aggregator.AggregateWith;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The clinical scenario tables under {@code src/test/resources/scenarios/}, one file per topic, one story per row.
 * Each story runs through the whole rule set ({@link NaltrexoneRules}); the row states the findings expected for the
 * file's topic. Findings of other topics are not this table's business.
 */
class ScenarioTest {

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/opioid-blockade-conflict.csv", numLinesToSkip = 1)
    void opioidBlockadeConflict(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.OPIOID_BLOCKADE_CONFLICT, scenario);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/induction-window.csv", numLinesToSkip = 1)
    void inductionWindow(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.INDUCTION_WINDOW, scenario);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/liver-function.csv", numLinesToSkip = 1)
    void liverFunction(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.LIVER_FUNCTION, scenario);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/overdose-risk.csv", numLinesToSkip = 1)
    void overdoseRisk(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.OVERDOSE_RISK, scenario);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/treatment-status.csv", numLinesToSkip = 1)
    void treatmentStatus(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.TREATMENT_STATUS, scenario);
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/data-unavailable.csv", numLinesToSkip = 1)
    void dataUnavailable(@AggregateWith(Scenario.Aggregator.class) Scenario scenario) {
        check(Topic.DATA_UNAVAILABLE, scenario);
    }

    private static void check(Topic topic, Scenario scenario) {
        TimelineNotation notation = new TimelineNotation();
        List<Finding> all = new NaltrexoneRules(scenario.thresholds()).evaluate(scenario.input(notation));
        List<Finding> findings = all.stream().filter(finding -> finding.topic() == topic).toList();

        assertThat(findings).extracting(Finding::severity)
                .as("%s%nall findings: %s", scenario.story(), all)
                .containsExactlyElementsOf(scenario.expectedSeverities());
        if (scenario.says() != null && !findings.isEmpty()) {
            Finding first = findings.get(0);
            assertThat(first.summary() + "\n" + first.detail()).as(scenario.story())
                    .contains(scenario.expectedText(notation));
        }
        for (Finding finding : all) {
            if (finding.topic() != Topic.DATA_UNAVAILABLE) {
                assertThat(finding.citations()).as("every clinical finding cites its source").isNotEmpty();
                assertThat(new NaltrexoneRules(scenario.thresholds()).basis().stream()
                        .filter(b -> b.topic() == finding.topic()).findFirst().orElseThrow().citations())
                        .as("the card page of %s lists every source its findings cite", finding.topic())
                        .containsAll(finding.citations());
            }
            if (finding.suggestions().contains(SuggestedAction.REMOVE_DRAFT_ORDER)) {
                assertThat(finding.draftOrders()).as("a removal names the draft to remove").isNotEmpty();
            }
        }
    }
}
