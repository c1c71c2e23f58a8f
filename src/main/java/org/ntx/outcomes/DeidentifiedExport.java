package org.ntx.outcomes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * One CSV row per patient for R or pandas, without names, FHIR ids or dates: the patient is a salted pseudonym
 * (HMAC-SHA256 of the id, from the JDK's crypto provider), and every event is a day offset from the patient's start.
 */
final class DeidentifiedExport {

    static final String HEADER = "pseudonym,formulation,indication,coverage_days,retained_30,retained_90,retained_180,"
            + "injection_intervals_on_time,injection_intervals_late,pdc,relapse_signal_day,"
            + "opioid_orders_during_blockade,liver_elevation_day,overdose_day";

    private final Mac mac;

    DeidentifiedExport(String salt) {
        byte[] key = salt == null || salt.isBlank() ? randomKey() : salt.getBytes(StandardCharsets.UTF_8);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    String row(PatientOutcome outcome) {
        Instant start = outcome.start();
        return String.join(",",
                pseudonym(outcome.patientId()),
                outcome.formulation().name().toLowerCase(Locale.ROOT),
                outcome.indication().name().toLowerCase(Locale.ROOT),
                Long.toString(days(start, outcome.coverageEnd())),
                flag(outcome.retained().getOrDefault(30, Optional.empty())),
                flag(outcome.retained().getOrDefault(90, Optional.empty())),
                flag(outcome.retained().getOrDefault(180, Optional.empty())),
                Integer.toString(outcome.injectionIntervalsOnTime()),
                Integer.toString(outcome.injectionIntervalsLate()),
                outcome.proportionOfDaysCovered().map(p -> String.format(Locale.ROOT, "%.3f", p)).orElse("NA"),
                day(start, outcome.firstRelapseSignal()),
                Integer.toString(outcome.flaggedOpioidOrders()),
                day(start, outcome.firstLiverElevation()),
                day(start, outcome.firstOverdose()));
    }

    synchronized String pseudonym(String patientId) {
        return HexFormat.of().formatHex(mac.doFinal(patientId.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    private static String flag(Optional<Boolean> value) {
        return value.map(v -> v ? "1" : "0").orElse("NA");
    }

    private static String day(Instant start, Optional<Instant> when) {
        return when.map(t -> Long.toString(days(start, t))).orElse("NA");
    }

    /** Calendar days (UTC) from the start date: the start is day 0, the next day day 1. */
    private static long days(Instant start, Instant when) {
        return ChronoUnit.DAYS.between(start.atZone(ZoneOffset.UTC).toLocalDate(),
                when.atZone(ZoneOffset.UTC).toLocalDate());
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
