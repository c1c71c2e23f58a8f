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
        Optional<ScreenResult> screenResult) {

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
    }

    /** Only final, amended and corrected results are reported results; the rest are not yet, or no longer, true. */
    public boolean counts() {
        return status == Status.FINAL || status == Status.AMENDED || status == Status.CORRECTED;
    }

    public boolean isPositiveScreen() {
        return screenResult.filter(ScreenResult.POSITIVE::equals).isPresent();
    }
}
