package org.ntx.analytics;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.MedicationExposure;
import org.ntx.rules.OpioidBlockade;
import org.ntx.rules.Thresholds;
import org.ntx.terminology.Terminology;
import org.ntx.timeline.ConditionRecord;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record as the server reads it, on Spark: each patient's exported resources are parsed with HAPI's R4 model and
 * mapped by the server's own {@link TimelineMapper} and terminology (the same source files, compiled into this job),
 * then read through the rules' {@link MedicationExposure} and {@link OpioidBlockade}, the interpretation the CDS
 * cards and {@code $naltrexone-outcomes} use. Which medication a record is (RxNorm, NDC, HCPCS under any system URI,
 * text and brand names, dose forms, referenced Medications), which lab (every ALT/AST LOINC code, UCUM units),
 * which diagnosis, how long each record's drug is present and whether an active order is only on file: all decided
 * here, once, by shared code. The measures over these rows stay Spark SQL (sql/*.sql).
 *
 * <p>Registers three temporary views:
 * <ul>
 *   <li>{@code medication_records}: every medication record with its kind, status, whether it counts, drug class,
 *       time, and for naltrexone its exposure (covers, exposure_s); for opioid orders whether opioids were blocked;</li>
 *   <li>{@code lab_results}: ALT, AST and opioid urine screens with status, value, upper limit and screen result;</li>
 *   <li>{@code diagnosis_classes}: diagnoses by class, whether they count (not refuted or in error), onset.</li>
 * </ul>
 * Records are grouped by patient (a shuffle of the export's lines): memory per task is one patient's record.
 * Medication resources (no subject; the product catalogue, not per patient) are broadcast.
 */
final class RecordInterpretation {

    /** Resource types the server's record reader loads for the measures (RecordPart). */
    static final List<String> TYPES = List.of("MedicationRequest", "MedicationDispense", "MedicationAdministration",
            "MedicationStatement", "Observation", "Condition");

    private static final Pattern PATIENT = Pattern.compile("(?:^|/)Patient/([^/]+?)(?:/_history/[^/]+)?$");
    private static final Pattern SUBJECT = Pattern.compile(
            "\"(?:subject|patient)\"\\s*:\\s*\\{[^{}]*?\"reference\"\\s*:\\s*\"([^\"]*)\"");

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static final StructType MEDICATIONS = new StructType()
            .add("id", DataTypes.StringType).add("patient_id", DataTypes.StringType)
            .add("kind", DataTypes.StringType).add("kind_rank", DataTypes.IntegerType)
            .add("status", DataTypes.StringType).add("counts", DataTypes.BooleanType)
            .add("drug_class", DataTypes.StringType).add("opioid", DataTypes.BooleanType)
            .add("start_s", DataTypes.LongType).add("covers", DataTypes.BooleanType)
            .add("exposure_s", DataTypes.LongType).add("blocked", DataTypes.BooleanType);
    static final StructType LABS = new StructType()
            .add("patient_id", DataTypes.StringType).add("test", DataTypes.StringType)
            .add("effective_s", DataTypes.LongType).add("counts", DataTypes.BooleanType)
            .add("positive_screen", DataTypes.BooleanType).add("value", DataTypes.StringType)
            .add("upper_limit", DataTypes.StringType);
    static final StructType DIAGNOSES = new StructType()
            .add("patient_id", DataTypes.StringType).add("condition_class", DataTypes.StringType)
            .add("counts", DataTypes.BooleanType).add("onset_s", DataTypes.LongType);

    /** Lines read, and those whose subject is not a Patient reference (left out, and reported). */
    record Counts(long lines, long unattributed) {}

    private RecordInterpretation() {}

    static Counts register(SparkSession spark, String input, Instant asOf) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, List<String>> files = files(spark.sparkContext().hadoopConfiguration(), input);
        Map<String, String> medications = new HashMap<>();
        for (String file : files.getOrDefault("Medication", List.of())) {
            for (String line : spark.read().textFile(file).collectAsList()) {
                Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(line);
                if (!line.isBlank() && id.find()) {
                    medications.put("Medication/" + id.group(1), line);
                }
            }
        }
        Broadcast<Map<String, String>> catalogue = context.broadcast(medications);

        List<String> paths = new ArrayList<>();
        TYPES.forEach(type -> paths.addAll(files.getOrDefault(type, List.of())));
        if (paths.isEmpty()) {
            empty(spark);
            return new Counts(0, 0);
        }
        JavaRDD<String> lines = context.textFile(String.join(",", paths)).filter(line -> !line.isBlank());
        JavaPairRDD<String, String> keyed = lines.mapToPair(line -> new Tuple2<>(patientOf(line), line));
        long total = keyed.count();
        long unattributed = keyed.filter(pair -> pair._1().isEmpty()).count();
        JavaRDD<Row> rows = keyed.filter(pair -> !pair._1().isEmpty()).groupByKey()
                .mapPartitions(patients -> interpret(patients, catalogue.value(), asOf));
        Dataset<Row> all = spark.createDataFrame(rows, new StructType()
                .add("table", DataTypes.StringType).add("row", DataTypes.createArrayType(DataTypes.StringType)));
        all = all.localCheckpoint(true);
        view(spark, all, "medication_records", MEDICATIONS);
        view(spark, all, "lab_results", LABS);
        view(spark, all, "diagnosis_classes", DIAGNOSES);
        return new Counts(total, unattributed);
    }

    /** The patient a line belongs to, from its subject (or patient) reference; empty if not {@code Patient/<id>}. */
    static String patientOf(String line) {
        Matcher subject = SUBJECT.matcher(line);
        String reference;
        if (subject.find()) {
            reference = subject.group(1);
        } else {
            // Not the shape servers write (reference first): read the JSON properly.
            try {
                com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(line);
                reference = root.path("subject").path("reference").asText(root.path("patient").path("reference")
                        .asText(""));
            } catch (IOException e) {
                return "";
            }
        }
        Matcher patient = PATIENT.matcher(reference);
        return patient.find() ? patient.group(1) : "";
    }

    /** Files of an export folder by resource type: {@code <Type>.ndjson}, {@code <Type>.000.ndjson}, ... */
    static Map<String, List<String>> files(Configuration hadoop, String input) {
        Map<String, List<String>> byType = new HashMap<>();
        try {
            Path folder = new Path(input);
            FileSystem fs = folder.getFileSystem(hadoop);
            for (FileStatus status : fs.listStatus(folder)) {
                String name = status.getPath().getName();
                if (status.isFile() && name.endsWith(".ndjson")) {
                    String type = name.substring(0, name.indexOf('.'));
                    byType.computeIfAbsent(type, k -> new ArrayList<>()).add(status.getPath().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the export at " + input, e);
        }
        return byType;
    }

    /** One executor's share of patients: parser, terminology and rules are built once per partition. */
    private static Iterator<Row> interpret(Iterator<Tuple2<String, Iterable<String>>> patients,
                                           Map<String, String> catalogue, Instant asOf) {
        Shared shared = Shared.get();
        IParser parser = shared.fhir.newJsonParser();
        Map<String, Medication> medications = new HashMap<>();
        List<Row> out = new ArrayList<>();
        return new Iterator<>() {
            Iterator<Row> current = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && patients.hasNext()) {
                    Tuple2<String, Iterable<String>> patient = patients.next();
                    out.clear();
                    List<Resource> resources = new ArrayList<>();
                    for (String line : patient._2()) {
                        resources.add((Resource) parser.parseResource(line));
                    }
                    PatientTimeline timeline = shared.mapper.timeline(patient._1(), resources,
                            EnumSet.noneOf(DataKind.class), reference -> Optional.ofNullable(
                                    medications.computeIfAbsent(reference, r -> Optional
                                            .ofNullable(catalogue.get(r))
                                            .map(json -> (Medication) parser.parseResource(json)).orElse(null))));
                    rows(timeline, asOf, shared, out);
                    current = new ArrayList<>(out).iterator();
                }
                return current.hasNext();
            }

            @Override
            public Row next() {
                hasNext();
                return current.next();
            }
        };
    }

    /** The interpreted rows of one patient. */
    static void rows(PatientTimeline timeline, Instant asOf, Shared shared, List<Row> out) {
        Map<MedicationEvent, MedicationExposure> exposures = new IdentityHashMap<>();
        MedicationExposure.all(timeline, asOf, shared.thresholds, RecordInterpretation::isNaltrexone)
                .forEach(exposure -> exposures.put(exposure.event(), exposure));
        for (MedicationEvent e : timeline.medications()) {
            MedicationExposure exposure = exposures.get(e);
            boolean opioidOrder = e.kind() == MedicationEvent.Kind.ORDER && e.drugClass().isOpioid() && e.counts();
            out.add(row("medication_records", e.source().id(), timeline.patientId(),
                    e.kind().name().toLowerCase(Locale.ROOT), Integer.toString(kindRank(e.kind())),
                    code(e.status()), Boolean.toString(e.counts()), code(e.drugClass()),
                    Boolean.toString(e.drugClass().isOpioid()), Long.toString(e.start().getEpochSecond()),
                    Boolean.toString(exposure != null && !exposure.onFileOnly()),
                    exposure == null ? null
                            : Long.toString(exposure.lastPresent().getEpochSecond() - e.start().getEpochSecond()),
                    opioidOrder ? Boolean.toString(shared.blockade.asOf(timeline, e.start()).blocksOpioids()) : null));
        }
        for (LabResult r : timeline.labResults()) {
            if (r.test() != LabTest.ALT && r.test() != LabTest.AST && r.test() != LabTest.OPIOID_URINE_SCREEN) {
                continue;
            }
            out.add(row("lab_results", timeline.patientId(), code(r.test()),
                    Long.toString(r.effective().getEpochSecond()), Boolean.toString(r.counts()),
                    Boolean.toString(r.isPositiveScreen()), r.value().map(v -> v.toPlainString()).orElse(null),
                    r.upperLimit().map(v -> v.toPlainString()).orElse(null)));
        }
        for (ConditionRecord c : timeline.conditions()) {
            boolean counts = c.verification() != ConditionRecord.Verification.REFUTED
                    && c.verification() != ConditionRecord.Verification.ENTERED_IN_ERROR;
            out.add(row("diagnosis_classes", timeline.patientId(), code(c.conditionClass()), Boolean.toString(counts),
                    c.onset().map(t -> Long.toString(t.getEpochSecond())).orElse(null)));
        }
    }

    static boolean isNaltrexone(DrugClass drugClass) {
        return drugClass == DrugClass.NALTREXONE_ORAL || drugClass == DrugClass.NALTREXONE_EXTENDED_RELEASE;
    }

    /** The server's tie order at one instant (TreatmentCourse.RECORD_ORDER): administration, dispense, order. */
    static int kindRank(MedicationEvent.Kind kind) {
        return switch (kind) {
            case ADMINISTRATION -> 1;
            case DISPENSE -> 2;
            case ORDER -> 3;
            case STATEMENT -> 4;
        };
    }

    /** An enum constant as the SQL names it: NALTREXONE_EXTENDED_RELEASE is naltrexone-extended-release. */
    static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Row row(String table, String... cells) {
        return RowFactory.create(table, cells);
    }

    /** Each table from the tagged rows, typed by its schema. */
    private static void view(SparkSession spark, Dataset<Row> all, String table, StructType schema) {
        all.createOrReplaceTempView("interpreted_records");
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < schema.fields().length; i++) {
            if (i > 0) {
                select.append(", ");
            }
            select.append("CAST(row[").append(i).append("] AS ").append(schema.fields()[i].dataType().sql())
                    .append(") AS ").append(schema.fields()[i].name());
        }
        select.append(" FROM interpreted_records WHERE table = '").append(table).append("'");
        spark.sql(select.toString()).localCheckpoint(true).createOrReplaceTempView(table);
    }

    private static void empty(SparkSession spark) {
        spark.createDataFrame(List.<Row>of(), MEDICATIONS).createOrReplaceTempView("medication_records");
        spark.createDataFrame(List.<Row>of(), LABS).createOrReplaceTempView("lab_results");
        spark.createDataFrame(List.<Row>of(), DIAGNOSES).createOrReplaceTempView("diagnosis_classes");
    }

    /** What each executor JVM builds once: HAPI's context, the terminology, the mapper and the rules. */
    static final class Shared {
        private static Shared instance;

        final FhirContext fhir = FhirContext.forR4Cached();
        final TimelineMapper mapper;
        final Thresholds thresholds = Thresholds.defaults();
        final OpioidBlockade blockade = new OpioidBlockade(thresholds);

        private Shared() {
            Terminology terminology = Terminology.fromClasspath();
            mapper = new TimelineMapper(terminology.medications(), terminology.labs(), terminology.conditions());
        }

        static synchronized Shared get() {
            if (instance == null) {
                instance = new Shared();
            }
            return instance;
        }
    }
}
