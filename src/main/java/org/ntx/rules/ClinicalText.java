package org.ntx.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;

/**
 * Wording shared by the rules' summaries and details, so dates and drug names read the same on every card. Dates are
 * calendar dates in UTC; the structured fields of findings and status carry the exact instants.
 */
final class ClinicalText {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private ClinicalText() {
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    /** Whole days from {@code from} to {@code to}, rounded down. */
    static long daysBetween(Instant from, Instant to) {
        return Duration.between(from, to).toDays();
    }

    static String days(long days) {
        return days == 1 ? "1 day" : days + " days";
    }

    /** "5", "3.5": no trailing zeros. */
    static String number(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    static String multiple(BigDecimal multiple) {
        return multiple.setScale(1, RoundingMode.HALF_UP).toPlainString() + "x ULN";
    }

    /** The blocker as clinicians name it. */
    static String formulation(DrugClass drugClass) {
        return switch (drugClass) {
            case NALTREXONE_EXTENDED_RELEASE -> "naltrexone injection";
            case NALTREXONE_ORAL -> "oral naltrexone";
            case SAMIDORPHAN_COMBINATION -> "olanzapine/samidorphan";
            case BUPROPION_NALTREXONE -> "bupropion/naltrexone";
            default -> drugClass.name().toLowerCase().replace('_', ' ');
        };
    }

    /** "oxycodone 5 MG tablet, dispensed 2026-03-10, 5 days' supply". */
    static String describe(MedicationEvent event) {
        StringBuilder text = new StringBuilder(event.display()).append(", ").append(verb(event)).append(' ')
                .append(date(event.start()));
        event.daysSupply().ifPresent(days -> text.append(", ").append(days(days)).append("' supply"));
        event.end().ifPresent(end -> text.append(", until ").append(date(end)));
        event.doseMg().ifPresent(dose -> text.append(", ").append(dose.stripTrailingZeros().toPlainString())
                .append(" mg"));
        return text.toString();
    }

    private static String verb(MedicationEvent event) {
        return switch (event.kind()) {
            case ADMINISTRATION -> "administered";
            case DISPENSE -> "dispensed";
            case ORDER -> "ordered (" + event.status().name().toLowerCase().replace('_', ' ') + ")";
            case STATEMENT -> "reported (" + event.status().name().toLowerCase().replace('_', ' ') + ")";
        };
    }
}
