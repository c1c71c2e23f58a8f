package org.ntx.ruleconfig;

import org.ntx.rules.Severity;
import org.ntx.rules.Thresholds;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * Site overrides of the clinical thresholds ({@code ntx.rules.*}, e.g. {@code ntx.rules.long-acting-opioid-free-window=14d}).
 * Anything not set keeps the default documented, with its clinical source, on {@link Thresholds}.
 */
@ConfigurationProperties("ntx.rules")
public record RuleProperties(
        Duration extendedReleaseBlockade,
        Duration extendedReleaseWaningEnd,
        Duration injectionInterval,
        Duration oralTail50Mg,
        Duration oralTail100Mg,
        Duration oralTail150Mg,
        Duration combinationTail,
        Duration shortActingOpioidFreeWindow,
        Duration longActingOpioidFreeWindow,
        Duration samidorphanLongActingOpioidFreeWindow,
        Duration positiveScreenWindow,
        Duration inductionCriticalRecency,
        BigDecimal liverWarningMultiple,
        BigDecimal liverCriticalMultiple,
        BigDecimal defaultAltUpperLimit,
        BigDecimal defaultAstUpperLimit,
        Severity hepaticConditionSeverity,
        Duration liverTestLookback,
        Duration overdoseLookback,
        Duration orderOnFileAfter) {

    /** The defaults with this site's overrides applied; {@link Thresholds} checks the result is coherent. */
    public Thresholds thresholds() {
        Thresholds d = Thresholds.defaults();
        return new Thresholds(
                or(extendedReleaseBlockade, d.extendedReleaseBlockade()),
                or(extendedReleaseWaningEnd, d.extendedReleaseWaningEnd()),
                or(injectionInterval, d.injectionInterval()),
                or(oralTail50Mg, d.oralTail50Mg()),
                or(oralTail100Mg, d.oralTail100Mg()),
                or(oralTail150Mg, d.oralTail150Mg()),
                or(combinationTail, d.combinationTail()),
                or(shortActingOpioidFreeWindow, d.shortActingOpioidFreeWindow()),
                or(longActingOpioidFreeWindow, d.longActingOpioidFreeWindow()),
                or(samidorphanLongActingOpioidFreeWindow, d.samidorphanLongActingOpioidFreeWindow()),
                or(positiveScreenWindow, d.positiveScreenWindow()),
                or(inductionCriticalRecency, d.inductionCriticalRecency()),
                or(liverWarningMultiple, d.liverWarningMultiple()),
                or(liverCriticalMultiple, d.liverCriticalMultiple()),
                or(defaultAltUpperLimit, d.defaultAltUpperLimit()),
                or(defaultAstUpperLimit, d.defaultAstUpperLimit()),
                or(hepaticConditionSeverity, d.hepaticConditionSeverity()),
                or(liverTestLookback, d.liverTestLookback()),
                or(overdoseLookback, d.overdoseLookback()),
                or(orderOnFileAfter, d.orderOnFileAfter()));
    }

    private static <T> T or(T override, T fallback) {
        return Optional.ofNullable(override).orElse(fallback);
    }
}
