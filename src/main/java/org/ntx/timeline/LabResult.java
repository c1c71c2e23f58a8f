package org.ntx.timeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One laboratory result the rules read: a liver test or an opioid urine drug screen.
 *
 * @param patientId    logical id of the subject Patient; the timeline drops entries about anyone else
 * @param source       the Observation this came from
 * @param test         which test, assigned by the terminology layer from the LOINC code
 * @param display      test name for people
 * @param status       the Observation status
 * @param effective    when the specimen was taken (effective time, else issued)
 * @param value        numeric result, when the result is a quantity
 * @param unit         unit of {@code value} (UCUM code preferred)
 * @param upperLimit   referenceRange.high, in the unit of {@code value}
 * @param screenResult positive or negative, for qualitative screens (from the value or the interpretation)
 * @param comparator   the value is a bound, not a measurement: {@code >1000} means "above the assay's range"
 * @param unitsPerLitre for enzyme activities, how many U/L one unit of {@code unit} is (UCUM: 60 for ukat/L), so a
 *                     limit in U/L can be expressed in the result's own unit
 * @param absentReason why the result has no value (Observation.dataAbsentReason), when the lab says so
 */
public record LabResult(
        String patientId,
        SourceRef source,
        LabTest test,
        String display,
        Status status,
        Instant effective,
        Optional<BigDecimal> value,
        Optional<String> unit,
        Optional<BigDecimal> upperLimit,
        Optional<ScreenResult> screenResult,
        Optional<Comparator> comparator,
        Optional<BigDecimal> unitsPerLitre,
        Optional<String> absentReason) {

    /** Observation status, one constant per FHIR code. */
    public enum Status {
        REGISTERED,
        PRELIMINARY,
        FINAL,
        AMENDED,
        CORRECTED,
        CANCELLED,
        ENTERED_IN_ERROR,
        UNKNOWN
    }

    /** A value reported as a bound (Quantity.comparator, or "&gt;1000" in text). */
    public enum Comparator {
        LESS_THAN("<"),
        LESS_OR_EQUAL("<="),
        GREATER_OR_EQUAL(">="),
        GREATER_THAN(">");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean isLowerBound() {
            return this == GREATER_THAN || this == GREATER_OR_EQUAL;
        }

        public static java.util.Optional<Comparator> of(String symbol) {
            for (Comparator c : values()) {
                if (c.symbol.equals(symbol == null ? null : symbol.trim())) {
                    return java.util.Optional.of(c);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** Qualitative result of a screen. */
    public enum ScreenResult {
        POSITIVE,
        NEGATIVE
    }

    public LabResult {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(upperLimit, "upperLimit");
        Objects.requireNonNull(screenResult, "screenResult");
        Objects.requireNonNull(comparator, "comparator");
        Objects.requireNonNull(unitsPerLitre, "unitsPerLitre");
        Objects.requireNonNull(absentReason, "absentReason");
    }

    /** A measured result without comparator, unit conversion or absent reason (the shape most fixtures need). */
    public LabResult(String patientId, SourceRef source, LabTest test, String display, Status status,
            Instant effective, Optional<BigDecimal> value, Optional<String> unit, Optional<BigDecimal> upperLimit,
            Optional<ScreenResult> screenResult) {
        this(patientId, source, test, display, status, effective, value, unit, upperLimit, screenResult,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Only final, amended and corrected results are reported results; the rest are not yet, or no longer, true. */
    public boolean counts() {
        return status == Status.FINAL || status == Status.AMENDED || status == Status.CORRECTED;
    }

    public boolean isPositiveScreen() {
        return screenResult.filter(ScreenResult.POSITIVE::equals).isPresent();
    }
}
