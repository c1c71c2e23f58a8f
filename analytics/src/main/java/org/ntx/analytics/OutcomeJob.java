package org.ntx.analytics;

import au.csiro.pathling.library.PathlingContext;
import au.csiro.pathling.library.io.source.QueryableDataSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ntx.survival.LogRank;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The naltrexone outcome study on Spark: reads a FHIR Bulk Data export, applies the package's ViewDefinitions with
 * Pathling, runs the measure definitions (sql/*.sql), and writes under {@code --output}:
 * <ul>
 *   <li>{@code measure-report.json}: the MeasureReport, shaped like the server's {@code $naltrexone-outcomes};</li>
 *   <li>{@code measures/<code>.csv} and {@code measures.parquet/measure=<code>/}: one table per measure, one row per
 *       stratum (initial population, denominator, numerator, score);</li>
 *   <li>{@code patients.csv/} and {@code patients.parquet/}: one de-identified row per patient (pseudonym, day offsets);</li>
 *   <li>{@code survival/}: Kaplan-Meier curves, summaries (medians, numbers at risk), log-rank tests, SVG plots with
 *       text alternatives;</li>
 *   <li>{@code run-summary.json}: what was read (rows per view, rows that could not be attributed to a patient), the
 *       evaluation date, the period and the definitions used.</li>
 * </ul>
 * Runs unchanged on one machine ({@code local[*]} unless spark.master is set) and under spark-submit on a cluster.
 */
public final class OutcomeJob {

    private OutcomeJob() {}

    public static void main(String[] args) {
        JobOptions options;
        try {
            options = JobOptions.parse(args, Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println("analytics: " + e.getMessage());
            System.err.print(JobOptions.USAGE);
            System.exit(2);
            return;
        }
        SparkSession spark = session();
        int status = 0;
        try {
            Summary summary = run(spark, options, System.getenv());
            System.out.println("analytics: " + summary.patients() + " patients in the cohort; results in "
                    + options.output());
        } catch (RuntimeException e) {
            System.err.println("analytics: failed: " + e.getMessage());
            e.printStackTrace(System.err);
            status = 1;
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    /** A session from spark-submit's settings, else local[*]; always UTC, as the definitions count days in UTC. */
    static SparkSession session() {
        SparkConf conf = new SparkConf();
        boolean local = !conf.contains("spark.master") || conf.get("spark.master").startsWith("local");
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", "naltrexone-outcomes");
        conf.set("spark.sql.session.timeZone", "UTC");
        if (local) {
            // One machine: a few shuffle partitions, not Spark's 200 meant for clusters.
            conf.setIfMissing("spark.sql.shuffle.partitions",
                    Integer.toString(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** What one run found. */
    record Summary(long patients, Map<String, FhirViews.Counts> views, Map<String, LogRank.Result> tests) {}

    static Summary run(SparkSession spark, JobOptions options, Map<String, String> environment) {
        HadoopFiles out = new HadoopFiles(spark.sparkContext().hadoopConfiguration(), options.output());
        String input = options.input().orElseGet(() -> downloadExport(options, environment, out));

        PathlingContext pathling = PathlingContext.create(spark);
        QueryableDataSource data = pathling.read().ndjson(input);
        ValueSetCodes.register(spark);
        Map<String, FhirViews.Counts> views = FhirViews.register(spark, data);
        long attributable = 0;
        for (Map.Entry<String, FhirViews.Counts> view : views.entrySet()) {
            FhirViews.Counts c = view.getValue();
            attributable += c.rows() - c.unattributed();
            if (c.unattributed() > 0) {
                System.err.println("analytics: WARNING " + c.unattributed() + " of " + c.rows() + " rows of "
                        + view.getKey() + " name no Patient/<id> subject and are left out (see run-summary.json)");
            }
        }
        RecordInterpretation.Counts records = RecordInterpretation.register(spark, input, options.asOf());
        if (records.unattributed() > 0) {
            System.err.println("analytics: WARNING " + records.unattributed() + " of " + records.lines()
                    + " clinical records name no Patient/<id> subject and are left out (see run-summary.json)");
        }
        attributable += records.lines() - records.unattributed();
        long totalRows = views.values().stream().mapToLong(FhirViews.Counts::rows).sum() + records.lines();
        if (totalRows > 0 && attributable == 0) {
            throw new IllegalStateException("no record in " + input + " could be attributed to a patient: subjects "
                    + "must be Patient/<id> references, as a Bulk Data export writes them (urn:uuid: references of "
                    + "transaction bundles are not resolved)");
        }

        Pseudonyms pseudonyms = new Pseudonyms(environment.get(options.saltVariable()));
        if (!pseudonyms.salted()) {
            System.err.println("analytics: " + options.saltVariable() + " is not set: pseudonyms use a random salt "
                    + "and cannot be linked to the server's export or to another run");
        }
        pseudonyms.register(spark);
        StudyDefinitions definitions = StudyDefinitions.defaults();
        SqlScripts.run(spark, definitions.parameters(options));

        Dataset<Row> patients = spark.table("patient_table").cache();
        long cohort = patients.count();
        writePatients(spark, out, options.identified());
        writeMeasures(spark, out, options);
        List<Row> survivalCounts = spark.table("survival_counts").collectAsList();
        Map<String, LogRank.Result> tests = SurvivalAnalyses.write(survivalCounts, out, options.plots());
        out.writeText("run-summary.json", summary(options, definitions, views, records, cohort, pseudonyms.salted(),
                spark));
        patients.unpersist();
        return new Summary(cohort, views, tests);
    }

    /** The server's CSV columns first, same names and formats; then follow-up and the time-to-event columns. */
    static final List<String> PATIENT_COLUMNS = List.of("formulation", "indication", "coverage_days", "retained_30",
            "retained_90", "retained_180", "injection_intervals_on_time", "injection_intervals_late", "pdc",
            "relapse_signal_day", "opioid_orders_during_blockade", "liver_elevation_day", "overdose_day",
            "follow_up_days", "follow_up_ends_by", "retention_days", "retention_event", "induction_days",
            "induction_event", "inducted_30", "relapse_free_days", "relapse_event", "continuity_180");

    private static void writePatients(SparkSession spark, HadoopFiles out, boolean identified) {
        StringBuilder columns = new StringBuilder("ntx_pseudonym(patient_id) AS pseudonym");
        if (identified) {
            columns.append(", patient_id, CAST(start_date AS STRING) AS start_date");
        }
        for (String column : PATIENT_COLUMNS) {
            columns.append(", ").append(column);
        }
        Dataset<Row> table = spark.sql("SELECT " + columns + " FROM patient_table ORDER BY pseudonym");
        table.write().mode("overwrite").parquet(out.path("patients.parquet"));
        String text = columns.toString().replace(", pdc", ", ntx_pdc_text(pdc) AS pdc");
        spark.sql("SELECT " + text + " FROM patient_table ORDER BY pseudonym")
                .coalesce(1).write().mode("overwrite").option("header", true).option("nullValue", "NA")
                .csv(out.path("patients.csv"));
    }

    private static void writeMeasures(SparkSession spark, HadoopFiles out, JobOptions options) {
        Dataset<Row> counts = spark.sql("SELECT measure, stratifier, stratum, initial_population, denominator, "
                + "numerator, CASE WHEN denominator > 0 THEN numerator / denominator END AS score FROM measure_counts");
        counts.coalesce(1).write().mode("overwrite").partitionBy("measure").parquet(out.path("measures.parquet"));
        Map<String, MeasureReportJson.Counts> byKey = new HashMap<>();
        Map<String, StringBuilder> tables = new LinkedHashMap<>();
        for (String[] measure : MeasureReportJson.MEASURES) {
            tables.put(measure[0], new StringBuilder(
                    "stratifier,stratum,initial_population,denominator,numerator,score\n"));
        }
        for (Row row : counts.orderBy("measure", "stratifier", "stratum").collectAsList()) {
            String key = row.getString(0) + "|" + row.getString(1) + "|" + row.getString(2);
            byKey.put(key, new MeasureReportJson.Counts(row.getLong(3), row.getLong(4), row.getLong(5)));
            StringBuilder table = tables.get(row.getString(0));
            if (table != null) {
                table.append(String.join(",", row.getString(1), row.getString(2), Long.toString(row.getLong(3)),
                        Long.toString(row.getLong(4)), Long.toString(row.getLong(5)),
                        row.isNullAt(6) ? "NA" : String.format(java.util.Locale.ROOT, "%.6f", row.getDouble(6))))
                        .append('\n');
            }
        }
        tables.forEach((measure, table) -> out.writeText("measures/" + measure + ".csv", table.toString()));

        Row extras = spark.sql("SELECT flagged_orders, pdc_courses, pdc_mean FROM measure_extras "
                + "WHERE stratifier = 'all'").first();
        Map<String, Long> histogram = new LinkedHashMap<>();
        for (Row row : spark.table("injection_interval_histogram").collectAsList()) {
            histogram.put(row.getString(0), row.getLong(1));
        }
        Map<String, List<long[]>> curve = new LinkedHashMap<>();
        for (Row row : spark.sql("SELECT formulation, day, at_risk, retained FROM retention_curve "
                + "ORDER BY formulation, day").collectAsList()) {
            curve.computeIfAbsent(row.getString(0), k -> new java.util.ArrayList<>())
                    .add(new long[] {row.getLong(1), row.getLong(2), row.getLong(3)});
        }
        String report = MeasureReportJson.write(options.asOf(), options.periodStart(), options.periodEnd(),
                (measure, stratifier, stratum) -> byKey.get(measure + "|" + stratifier + "|" + stratum),
                extras.isNullAt(0) ? 0 : extras.getLong(0), extras.getLong(1),
                extras.isNullAt(2) ? null : extras.getDouble(2), histogram, curve);
        out.writeText("measure-report.json", report);
    }

    private static String downloadExport(JobOptions options, Map<String, String> environment, HadoopFiles out) {
        Optional<String> token = Optional.ofNullable(environment.get(options.tokenVariable())).filter(t -> !t.isBlank());
        if (token.isEmpty()) {
            System.err.println("analytics: " + options.tokenVariable() + " is not set: polling the export without a "
                    + "bearer token");
        }
        HadoopFiles target = new HadoopFiles(new org.apache.hadoop.conf.Configuration(), out.path("export"));
        try {
            Map<String, Integer> files = new BulkExportClient(token, options.exportTimeout(), Duration.ofSeconds(2))
                    .download(URI.create(options.exportStatusUrl().orElseThrow()), target);
            System.out.println("analytics: downloaded export files " + files);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("export download failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the export", e);
        }
        return out.path("export");
    }

    private static String summary(JobOptions options, StudyDefinitions definitions, Map<String, FhirViews.Counts> views,
                                  RecordInterpretation.Counts records, long cohort, boolean salted,
                                  SparkSession spark) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("asOf", options.asOf().toString());
        root.put("periodStart", options.periodStart().toString());
        root.put("periodEnd", options.periodEnd().toString());
        root.put("patients", cohort);
        root.put("deidentified", !options.identified());
        root.put("pseudonymSalt", salted ? "from " + options.saltVariable() : "random (not linkable)");
        root.put("sparkVersion", spark.version());
        root.put("sparkMaster", spark.sparkContext().master());
        ObjectNode viewCounts = root.putObject("views");
        views.forEach((name, c) -> {
            ObjectNode v = viewCounts.putObject(name);
            v.put("rows", c.rows());
            v.put("rowsWithoutPatient", c.unattributed());
        });
        ObjectNode clinical = root.putObject("clinicalRecords");
        clinical.put("rows", records.lines());
        clinical.put("rowsWithoutPatient", records.unattributed());
        root.set("definitions", json.valueToTree(definitions));
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
