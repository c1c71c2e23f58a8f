package org.ntx.analytics;

import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the measure definitions kept as readable Spark SQL in {@code sql/*.sql} (on the classpath), in the order of
 * their file names. Each file holds statements ending in {@code ;} at the end of a line; {@code ${name}} is replaced
 * by a parameter of {@link StudyDefinitions}, and an unknown name fails the run rather than reaching Spark.
 */
final class SqlScripts {

    /** The scripts, in the order they run. */
    static final List<String> FILES = List.of("10_medication_records.sql", "20_courses.sql", "30_coverage.sql",
            "40_events.sql", "50_patient_outcomes.sql", "60_patient_table.sql", "70_survival_counts.sql",
            "80_measure_counts.sql");

    /**
     * Views materialised after their script: Spark analyses a view's whole plan again wherever it is used, and the
     * plans of views over views over Pathling's encoders grow until analysis alone takes minutes. A local checkpoint
     * keeps the rows (on the executors) and cuts the plan to a scan of them.
     */
    static final Map<String, List<String>> CHECKPOINTS = Map.of(
            "10_medication_records.sql", List.of("counting_medications"),
            "20_courses.sql", List.of("naltrexone_records", "diagnosis_classes", "courses"),
            "30_coverage.sql", List.of("coverage_intervals", "coverage_ends", "injection_intervals", "oral_pdc"),
            "40_events.sql", List.of("course_windows", "positive_opioid_screens", "opioid_exposures",
                    "overdose_events_all", "first_relapse_signal", "first_liver_elevation", "first_overdose",
                    "flagged_opioid_orders"),
            "50_patient_outcomes.sql", List.of("patient_outcomes"),
            "60_patient_table.sql", List.of("patient_table"));

    private static final Pattern PARAMETER = Pattern.compile("\\$\\{([a-z_]+)}");

    private SqlScripts() {}

    static void run(SparkSession spark, Map<String, String> parameters) {
        for (String file : FILES) {
            long started = System.nanoTime();
            for (String statement : statements(read("sql/" + file))) {
                spark.sql(substitute(statement, parameters, file));
            }
            for (String view : CHECKPOINTS.getOrDefault(file, List.of())) {
                checkpoint(spark, view);
            }
            System.err.printf("analytics: %s in %.1f s%n", file, (System.nanoTime() - started) / 1e9);
        }
    }

    static void checkpoint(SparkSession spark, String view) {
        spark.table(view).localCheckpoint(true).createOrReplaceTempView(view);
    }

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("SQL script ends without ';': " + current.toString().strip());
        }
        return statements;
    }

    static String substitute(String statement, Map<String, String> parameters, String file) {
        Matcher matcher = PARAMETER.matcher(statement);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = parameters.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException(file + ": no parameter named " + matcher.group(1));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    static String read(String resource) {
        try (InputStream in = SqlScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the job's jar: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
