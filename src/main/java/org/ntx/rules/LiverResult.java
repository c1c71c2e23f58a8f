package org.ntx.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.ntx.timeline.LabTest;
import org.ntx.timeline.SourceRef;

/**
 * The latest result of one liver test, expressed against its upper limit of normal.
 *
 * @param test                 which test
 * @param value                the numeric result
 * @param unit                 its unit, when given
 * @param upperLimit           the ULN used: the result's reference range, else the configured default (ALT, AST)
 * @param upperLimitFromResult the ULN came from the result's own reference range, not a default
 * @param multipleOfUpperLimit value / ULN to two decimals; empty when no ULN applies
 * @param effective            when the specimen was taken
 * @param source               the Observation
 */
public record LiverResult(
        LabTest test,
        BigDecimal value,
        Optional<String> unit,
        Optional<BigDecimal> upperLimit,
        boolean upperLimitFromResult,
        Optional<BigDecimal> multipleOfUpperLimit,
        Instant effective,
        SourceRef source) {

    public LiverResult {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(upperLimit, "upperLimit");
        Objects.requireNonNull(multipleOfUpperLimit, "multipleOfUpperLimit");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(source, "source");
    }

    /** Strictly above {@code multiple} times the ULN; false when no ULN applies. */
    public boolean exceeds(BigDecimal multiple) {
        return upperLimit.filter(limit -> value.compareTo(limit.multiply(multiple)) > 0).isPresent();
    }

    /** "ALT 250 U/L (6.3x ULN) on 2026-03-05". */
    String describe() {
        StringBuilder text = new StringBuilder(test.name()).append(' ')
                .append(value.stripTrailingZeros().toPlainString());
        unit.ifPresent(u -> text.append(' ').append(u));
        multipleOfUpperLimit.ifPresent(m -> text.append(" (").append(ClinicalText.multiple(m)).append(')'));
        return text.append(" on ").append(ClinicalText.date(effective)).toString();
    }

    Evidence evidence() {
        return new Evidence(source, describe(), effective);
    }
}
