package org.ntx.rules;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.params.aggregator.ArgumentsAccessor;
import org.junit.jupiter.params.aggregator.ArgumentsAggregator;

/**
 * One row of a scenario table: a clinical story and what the rules should say about one topic.
 *
 * <p>Columns: {@code story, trigger, timeline, drafts, settings, expected, says}. {@code trigger} is patient-view,
 * order-select or order-sign; {@code timeline} and {@code drafts} use {@link TimelineNotation}; {@code settings}
 * overrides thresholds ({@code long-window=14d}, {@code hepatic-condition=CRITICAL}); {@code expected} is
 * {@code none} or the severities of the topic's findings joined by {@code +}; {@code says}, if given, must appear in
 * the first such finding's summary or detail, with {@code {day+N}} standing for that date.
 */
record Scenario(String story, Trigger trigger, String timeline, String drafts, String settings, String expected,
        String says) {

    private static final Pattern DAY = Pattern.compile("\\{day([+-]\\d+)}");

    RuleInput input(TimelineNotation notation) {
        return new RuleInput(notation.timeline(timeline), notation.drafts(drafts), TimelineNotation.AS_OF, trigger);
    }

    Thresholds thresholds() {
        Thresholds thresholds = Thresholds.defaults();
        for (String setting : settings == null ? new String[0] : settings.trim().split("\\s+")) {
            if (setting.isEmpty()) {
                continue;
            }
            String[] pair = setting.split("=", 2);
            thresholds = switch (pair[0]) {
                case "long-window" -> thresholds.withLongActingOpioidFreeWindow(
                        Duration.ofDays(Long.parseLong(pair[1].replace("d", ""))));
                case "hepatic-condition" -> thresholds.withHepaticConditionSeverity(Severity.valueOf(pair[1]));
                default -> throw new IllegalArgumentException("unknown setting: " + setting);
            };
        }
        return thresholds;
    }

    List<Severity> expectedSeverities() {
        if (expected.trim().equals("none")) {
            return List.of();
        }
        return List.of(expected.split("\\+")).stream()
                .map(severity -> Severity.valueOf(severity.trim().toUpperCase(Locale.ROOT)))
                .toList();
    }

    /** {@code says} with each {@code {day+N}} replaced by that calendar date. */
    String expectedText(TimelineNotation notation) {
        Matcher matcher = DAY.matcher(says);
        StringBuilder text = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(text,
                    ClinicalText.date(notation.day(Integer.parseInt(matcher.group(1)))));
        }
        return matcher.appendTail(text).toString();
    }

    @Override
    public String toString() {
        return story;
    }

    /** Builds a {@link Scenario} from a CSV row; empty cells arrive as null. */
    static final class Aggregator implements ArgumentsAggregator {
        @Override
        public Scenario aggregateArguments(ArgumentsAccessor row, ParameterContext context) {
            return new Scenario(
                    row.getString(0),
                    Trigger.valueOf(row.getString(1).trim().toUpperCase(Locale.ROOT).replace('-', '_')),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getString(5),
                    row.size() > 6 ? row.getString(6) : null);
        }
    }
}
