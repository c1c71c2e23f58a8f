package org.ntx.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job's command line. Either {@code --input} (a folder of ndjson files, on any Hadoop file system) or
 * {@code --export-status-url} (a FHIR Bulk Data status URL to poll; its files are downloaded into
 * {@code <output>/export/}) says where the data come from.
 *
 * @param input           folder of {@code <Type>.ndjson} / {@code <Type>.<n>.ndjson} files
 * @param exportStatusUrl the {@code Content-Location} a {@code $export} kick-off answered
 * @param tokenVariable   environment variable holding the bearer token for the export (never a command-line value:
 *                        arguments are visible to every user of the machine)
 * @param output          where the results go (local path, {@code hdfs://}, {@code s3a://}, ...)
 * @param asOf            evaluation date: follow-up ends here (the server uses the time of the request)
 * @param periodStart     first day of the study period (cohort: first naltrexone record in the period)
 * @param periodEnd       the instant after the last day of the period
 * @param saltVariable    environment variable holding the pseudonym salt, the server's NTX_OUTCOMES_PSEUDONYM_SALT
 * @param identified      also write FHIR patient ids and start dates (off: de-identified output only)
 * @param plots           write the Kaplan-Meier plots
 * @param exportTimeout   how long to wait for the export to complete
 */
public record JobOptions(
        Optional<String> input,
        Optional<String> exportStatusUrl,
        String tokenVariable,
        String output,
        Instant asOf,
        Instant periodStart,
        Instant periodEnd,
        String saltVariable,
        boolean identified,
        boolean plots,
        Duration exportTimeout) {

    static final String USAGE = """
            Usage: OutcomeJob (--input <folder of ndjson> | --export-status-url <url>) --output <folder> [options]
              --input PATH               FHIR Bulk Data output: <Type>.ndjson or <Type>.<n>.ndjson files (file:, hdfs://, s3a://)
              --export-status-url URL    poll this $export status URL, download its files to <output>/export/, then run
              --token-env NAME           environment variable with the bearer token for the export (default NTX_EXPORT_TOKEN)
              --output PATH              results folder (file:, hdfs://, s3a://)
              --as-of DATE|INSTANT       evaluation date, e.g. 2026-11-01 (00:00 UTC) or 2026-11-01T12:00:00Z (default: now)
              --start DATE --end DATE    study period, both days included (default: everything up to --as-of)
              --salt-env NAME            environment variable with the pseudonym salt (default NTX_OUTCOMES_PSEUDONYM_SALT;
                                         unset: a random salt, so pseudonyms cannot be linked across runs)
              --identified               also write FHIR patient ids and start dates (default: de-identified only)
              --no-plots                 skip the Kaplan-Meier SVG plots
              --export-timeout SECONDS   how long to wait for the export (default 3600)
            Spark settings come from spark-submit or -Dspark.*=...; without spark.master the job runs on local[*].
            """;

    public static JobOptions parse(String[] args, Instant now) {
        Optional<String> input = Optional.empty();
        Optional<String> statusUrl = Optional.empty();
        String tokenVariable = "NTX_EXPORT_TOKEN";
        String output = null;
        Instant asOf = now;
        Optional<LocalDate> start = Optional.empty();
        Optional<LocalDate> end = Optional.empty();
        String saltVariable = "NTX_OUTCOMES_PSEUDONYM_SALT";
        boolean identified = false;
        boolean plots = true;
        Duration timeout = Duration.ofHours(1);
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String name = rest.remove(0);
            switch (name) {
                case "--input" -> input = Optional.of(value(name, rest));
                case "--export-status-url" -> statusUrl = Optional.of(value(name, rest));
                case "--token-env" -> tokenVariable = value(name, rest);
                case "--output" -> output = value(name, rest);
                case "--as-of" -> asOf = instant(name, value(name, rest));
                case "--start" -> start = Optional.of(date(name, value(name, rest)));
                case "--end" -> end = Optional.of(date(name, value(name, rest)));
                case "--salt-env" -> saltVariable = value(name, rest);
                case "--identified" -> identified = true;
                case "--no-plots" -> plots = false;
                case "--export-timeout" -> timeout = Duration.ofSeconds(number(name, value(name, rest)));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (input.isPresent() == statusUrl.isPresent()) {
            throw new IllegalArgumentException("give exactly one of --input and --export-status-url");
        }
        if (output == null) {
            throw new IllegalArgumentException("--output is required");
        }
        Instant periodStart = start.map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC))
                .orElse(Instant.parse("0001-01-01T00:00:00Z"));
        // Calendar dates as the server reads them: [start 00:00Z, end + 1 day 00:00Z).
        Instant periodEnd = end.map(d -> d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))
                .orElse(asOf.plusSeconds(1));
        if (!periodStart.isBefore(periodEnd)) {
            throw new IllegalArgumentException("--start must not be after --end");
        }
        return new JobOptions(input, statusUrl, tokenVariable, output, asOf, periodStart, periodEnd, saltVariable,
                identified, plots, timeout);
    }

    private static String value(String name, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return rest.remove(0);
    }

    private static Instant instant(String name, String value) {
        try {
            return value.contains("T") ? Instant.parse(value) : date(name, value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not a date or instant: " + value);
        }
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not a date (YYYY-MM-DD): " + value);
        }
    }

    private static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + value);
        }
    }
}
