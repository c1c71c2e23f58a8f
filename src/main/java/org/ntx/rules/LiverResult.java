package org.ntx.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.ntx.timeline.LabResult;
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
 * @param comparator           the value is a bound ({@code >1000}): a lower bound exceeds a limit when the bound does
 * @param defaultLimitNote     for a default ULN given in U/L and applied to a result in another unit: "40 U/L =
 *                             0.67 ukat/L"
 */
public record LiverResult(
        LabTest test,
        BigDecimal value,
        Optional<String> unit,
        Optional<BigDecimal> upperLimit,
        boolean upperLimitFromResult,
        Optional<BigDecimal> multipleOfUpperLimit,
        Instant effective,
        SourceRef source,
        Optional<LabResult.Comparator> comparator,
        Optional<String> defaultLimitNote) {

    public LiverResult {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(upperLimit, "upperLimit");
        Objects.requireNonNull(multipleOfUpperLimit, "multipleOfUpperLimit");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(comparator, "comparator");
        Objects.requireNonNull(defaultLimitNote, "defaultLimitNote");
    }

    /**
     * Strictly above {@code multiple} times the ULN; false when no ULN applies. A value reported as "&gt;1000" is at
     * least its bound, so it exceeds when the bound does; one reported as "&lt;10" is at most its bound and is never
     * taken to exceed.
     */
    public boolean exceeds(BigDecimal multiple) {
        if (comparator.filter(c -> !c.isLowerBound()).isPresent()) {
            return false;
        }
        return upperLimit.filter(limit -> value.compareTo(limit.multiply(multiple)) > 0).isPresent();
    }

    /** "ALT 250 U/L (6.3x ULN) on 2026-03-05". */
    String describe() {
        StringBuilder text = new StringBuilder(test.name()).append(' ')
                .append(comparator.map(LabResult.Comparator::symbol).orElse(""))
                .append(value.stripTrailingZeros().toPlainString());
        unit.ifPresent(u -> text.append(' ').append(u));
        multipleOfUpperLimit.ifPresent(m -> text.append(" (")
                .append(comparator.filter(LabResult.Comparator::isLowerBound).isPresent() ? "above " : "")
                .append(ClinicalText.multiple(m))
                .append(defaultLimitNote.map(note -> "; default ULN " + note).orElse("")).append(')'));
        return text.append(" on ").append(ClinicalText.date(effective)).toString();
    }

    Evidence evidence() {
        return new Evidence(source, describe(), effective);
    }
}
