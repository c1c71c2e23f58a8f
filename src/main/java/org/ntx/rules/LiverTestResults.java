package org.ntx.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.PatientTimeline;

/**
 * Finds the latest reported value of each liver test and relates it to its upper limit of normal.
 *
 * <p>Only the latest counting result with a number is read: an old abnormal value followed by a normal one is
 * history, not a finding. The ULN is the result's reference range high (same unit as the value, as FHIR requires);
 * without one, ALT and AST fall back to the configured defaults in U/L, and only when the result is in U/L (or
 * states no unit): comparing another unit with a U/L limit would be wrong by a factor.
 */
final class LiverTestResults {

    /** Tests reported by {@code $naltrexone-status}, in display order. */
    static final List<LabTest> REPORTED = List.of(LabTest.ALT, LabTest.AST, LabTest.TOTAL_BILIRUBIN,
            LabTest.ALKALINE_PHOSPHATASE, LabTest.GGT);

    /** Tests that tell the rule about aminotransferases; ALP, GGT or bilirubin alone do not. */
    private static final Set<LabTest> AMINOTRANSFERASE_TESTS = Set.of(LabTest.ALT, LabTest.AST,
            LabTest.HEPATIC_FUNCTION_PANEL);

    private static final Set<String> UNITS_PER_LITRE = Set.of("u/l", "iu/l", "[iu]/l");

    private final Thresholds thresholds;

    LiverTestResults(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    Optional<LiverResult> latest(PatientTimeline timeline, LabTest test, Instant asOf) {
        return timeline.labResults().stream()
                .filter(result -> result.test() == test)
                .filter(LabResult::counts)
                .filter(result -> result.value().isPresent())
                .filter(result -> !result.effective().isAfter(asOf))
                .max(Comparator.comparing(LabResult::effective))
                .map(this::toLiverResult);
    }

    List<LiverResult> latestReported(PatientTimeline timeline, Instant asOf) {
        return REPORTED.stream().flatMap(test -> latest(timeline, test, asOf).stream()).toList();
    }

    /** The latest ALT, AST or hepatic panel at or before {@code asOf}, with or without a number. */
    Optional<LabResult> latestAminotransferaseTest(PatientTimeline timeline, Instant asOf) {
        return timeline.labResults().stream()
                .filter(result -> AMINOTRANSFERASE_TESTS.contains(result.test()))
                .filter(LabResult::counts)
                .filter(result -> !result.effective().isAfter(asOf))
                .max(Comparator.comparing(LabResult::effective));
    }

    private LiverResult toLiverResult(LabResult result) {
        BigDecimal value = result.value().orElseThrow();
        Optional<BigDecimal> fromResult = result.upperLimit().filter(limit -> limit.signum() > 0);
        Optional<BigDecimal> limit = fromResult.or(() -> defaultUpperLimit(result));
        Optional<BigDecimal> multiple = limit.map(uln -> value.divide(uln, MathContext.DECIMAL64)
                .setScale(2, RoundingMode.HALF_UP));
        return new LiverResult(result.test(), value, result.unit(), limit, fromResult.isPresent(), multiple,
                result.effective(), result.source());
    }

    private Optional<BigDecimal> defaultUpperLimit(LabResult result) {
        boolean perLitre = result.unit()
                .map(unit -> UNITS_PER_LITRE.contains(unit.trim().toLowerCase(Locale.ROOT)))
                .orElse(true);
        if (!perLitre) {
            return Optional.empty();
        }
        return switch (result.test()) {
            case ALT -> Optional.of(thresholds.defaultAltUpperLimit());
            case AST -> Optional.of(thresholds.defaultAstUpperLimit());
            default -> Optional.empty();
        };
    }
}
