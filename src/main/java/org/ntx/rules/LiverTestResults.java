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
 * history, not a finding. The ULN is the result's reference range high (in the value's unit; the mapper converts a
 * range given in another unit); without one, ALT and AST fall back to the configured defaults in U/L, converted into
 * the result's own unit (UCUM, by the terminology layer: 40 U/L = 0.67 ukat/L). A unit that does not convert gets no
 * default: comparing it with a U/L limit would be wrong by a factor. A value reported as a bound ({@code >1000}) is
 * compared by its bound.
 */
final class LiverTestResults {

    /** Tests reported by {@code $naltrexone-status}, in display order. */
    static final List<LabTest> REPORTED = List.of(LabTest.ALT, LabTest.AST, LabTest.TOTAL_BILIRUBIN,
            LabTest.ALKALINE_PHOSPHATASE, LabTest.GGT);

    /** Tests that tell the rule about aminotransferases; ALP, GGT or bilirubin alone do not. */
    private static final Set<LabTest> AMINOTRANSFERASE_TESTS = Set.of(LabTest.ALT, LabTest.AST,
            LabTest.HEPATIC_FUNCTION_PANEL);


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

    /** ALT or AST results after the latest one with a number that the lab reported without a value, with why. */
    List<LabResult> laterWithoutValue(PatientTimeline timeline, Instant asOf) {
        return List.of(LabTest.ALT, LabTest.AST).stream().flatMap(test -> {
            Optional<Instant> withValue = timeline.labResults().stream()
                    .filter(r -> r.test() == test).filter(LabResult::counts).filter(r -> r.value().isPresent())
                    .map(LabResult::effective).filter(t -> !t.isAfter(asOf)).max(Comparator.naturalOrder());
            return timeline.labResults().stream()
                    .filter(r -> r.test() == test).filter(LabResult::counts).filter(r -> r.value().isEmpty())
                    .filter(r -> !r.effective().isAfter(asOf))
                    .filter(r -> withValue.filter(t -> !r.effective().isAfter(t)).isEmpty());
        }).toList();
    }

    List<LiverResult> latestReported(PatientTimeline timeline, Instant asOf) {
        return REPORTED.stream().flatMap(test -> latest(timeline, test, asOf).stream()).toList();
    }

    /**
     * The latest ALT, AST or hepatic panel at or before {@code asOf}. An ALT or AST without a number (no value, or a
     * dataAbsentReason such as "error") is not a test result; a panel counts, its members carry the numbers.
     */
    Optional<LabResult> latestAminotransferaseTest(PatientTimeline timeline, Instant asOf) {
        return timeline.labResults().stream()
                .filter(result -> AMINOTRANSFERASE_TESTS.contains(result.test()))
                .filter(LabResult::counts)
                .filter(result -> result.test() == LabTest.HEPATIC_FUNCTION_PANEL || result.value().isPresent())
                .filter(result -> !result.effective().isAfter(asOf))
                .max(Comparator.comparing(LabResult::effective));
    }

    private LiverResult toLiverResult(LabResult result) {
        BigDecimal value = result.value().orElseThrow();
        Optional<BigDecimal> fromResult = result.upperLimit().filter(limit -> limit.signum() > 0);
        Optional<BigDecimal> factor = result.unit().isEmpty() ? Optional.of(BigDecimal.ONE)
                : result.unitsPerLitre().filter(f -> f.signum() > 0);
        Optional<BigDecimal> defaultLimit = factor.flatMap(f -> defaultUpperLimit(result)
                .map(uln -> uln.divide(f, MathContext.DECIMAL64)));
        Optional<BigDecimal> limit = fromResult.or(() -> defaultLimit);
        Optional<BigDecimal> multiple = limit.map(uln -> value.divide(uln, MathContext.DECIMAL64)
                .setScale(2, RoundingMode.HALF_UP));
        Optional<String> note = fromResult.isPresent() ? Optional.empty()
                : factor.filter(f -> f.compareTo(BigDecimal.ONE) != 0).flatMap(f -> defaultUpperLimit(result)
                        .map(uln -> ClinicalText.number(uln) + " U/L = " + defaultLimit.orElseThrow()
                                .round(new MathContext(2)).stripTrailingZeros().toPlainString() + " "
                                + result.unit().orElse("")));
        return new LiverResult(result.test(), value, result.unit(), limit, fromResult.isPresent(), multiple,
                result.effective(), result.source(), result.comparator(), note);
    }

    private Optional<BigDecimal> defaultUpperLimit(LabResult result) {
        return switch (result.test()) {
            case ALT -> Optional.of(thresholds.defaultAltUpperLimit());
            case AST -> Optional.of(thresholds.defaultAstUpperLimit());
            default -> Optional.empty();
        };
    }
}
