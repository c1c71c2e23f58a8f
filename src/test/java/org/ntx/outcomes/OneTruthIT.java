package org.ntx.outcomes;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ntx.cohort.SyntheaLoader;
import org.ntx.cohort.SyntheticCohort;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One truth (issue 19, items 2 and 3): the synthetic cohort of 1,000 patients is loaded into the server (PostgreSQL),
 * exported with {@code Group/$export} (HAPI's maintenance pass driven by the test), and the Spark job runs on the
 * export as a separate process on a JDK 21+; its MeasureReport, survival tables and per-patient table must equal the
 * server's {@code $naltrexone-outcomes}, {@code $naltrexone-survival} and per-patient outcomes exactly: every
 * population count of every group and stratum, every curve step, median, number at risk and log-rank figure, every
 * patient's day offsets and flags. The Group keeps other tests' patients out of both sides.
 *
 * <p>The same holds on records we did not write: a small Synthea population (src/test/resources/synthea/naltrexone/,
 * three patients Synthea's opioid use disorder module put on oral naltrexone, with its usual quirks: an order with no
 * dosage, no end and no dispense left active for ten years, active opioid and buprenorphine orders beside it). Each population is its own study, with its
 * own Group, export and run of the job.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OneTruthIT {

    static final int PATIENTS = Integer.getInteger("ntx.onetruth.patients", 1000);
    static final Path WORK = Path.of("target", "one-truth");
    static final Path SYNTHEA = Path.of("src", "test", "resources", "synthea", "naltrexone");
    static final List<String> EXPORTED = List.of("Patient", "Encounter", "MedicationRequest", "MedicationDispense",
            "MedicationAdministration", "MedicationStatement", "Observation", "Condition");

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    @Autowired
    OutcomeStudy study;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    IGenericClient client;
    List<Study> studies;

    /**
     * One population on both sides: the Group holding it, the job's output, and the study's dates. {@code treated} is
     * how many of its patients must come out as started on naltrexone in the period (so no study passes empty).
     */
    record Study(String name, String groupId, Path results, String start, String end, Instant asOf, int treated) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void loadExportAndRunTheJob() throws Exception {
        // The server's operations read 1,000 patients one at a time: more than the client's default 10 s.
        fhirContext.getRestfulClientFactory().setSocketTimeout(300_000);
        client = FhirTestClient.forPort(fhirContext, port);
        deleteRecursively(WORK);
        Instant syntheticAsOf = Instant.parse("2025-06-01T00:00:00Z");
        Study synthetic = run("synthetic", load(new SyntheticCohort(1919, syntheticAsOf), PATIENTS),
                "2024-01-01", "2025-05-31", syntheticAsOf, PATIENTS);
        // Synthea's reference date is 2025-01-01; its naltrexone orders fall in the ten years before.
        Study synthea = run("synthea", loadSynthea(), "2013-01-01", "2024-12-31",
                Instant.parse("2025-01-01T00:00:00Z"), 3);
        studies = List.of(synthetic, synthea);
    }

    private Study run(String name, List<String> patientIds, String start, String end, Instant asOf, int treated)
            throws Exception {
        Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
        patientIds.forEach(id -> group.addMember().setEntity(new Reference(id)));
        String groupId = ((IdType) client.create().resource(group).execute().getId()).getIdPart();

        Path export = WORK.resolve(name).resolve("export");
        Files.createDirectories(export);
        long started = System.nanoTime();
        exportGroup(groupId, export);
        System.out.printf("one-truth: %s, %d patients exported in %.1f s%n", name, patientIds.size(),
                (System.nanoTime() - started) / 1e9);

        Study study = new Study(name, groupId, WORK.resolve(name).resolve("results"), start, end, asOf, treated);
        runJob(export, study);
        return study;
    }

    Stream<Study> studies() {
        return studies.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void measureReportsAreEqualGroupForGroupStratumForStratum(Study study) throws IOException {
        MeasureReport server = client.operation().onInstance(new IdType("Group", study.groupId()))
                .named("$naltrexone-outcomes").withParameter(Parameters.class, "start", new DateType(study.start()))
                .andParameter("end", new DateType(study.end()))
                .andParameter("asOf", new DateTimeType(study.asOf().toString()))
                .returnResourceType(MeasureReport.class).useHttpGet().execute();
        MeasureReport job = fhirContext.newJsonParser().parseResource(MeasureReport.class,
                Files.readString(study.results().resolve("measure-report.json")));

        Map<String, String> serverFigures = figures(server);
        Map<String, String> jobFigures = figures(job);
        assertThat(serverFigures.keySet()).as("groups of the server's report")
                .contains("retention-30|all|all|numerator", "induction-30|all|all|denominator",
                        "continuity-180|all|all|denominator");
        assertThat(serverFigures.get("retention-30|all|all|initial-population"))
                .as("every patient started in the period").isEqualTo(Integer.toString(study.treated()));
        assertThat(jobFigures).isEqualTo(serverFigures);
        assertThat(job.getDate()).isEqualTo(server.getDate());
        assertThat(job.getPeriod().getStart()).isEqualTo(server.getPeriod().getStart());
        assertThat(job.getPeriod().getEnd()).isEqualTo(server.getPeriod().getEnd());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void survivalTablesAreEqualStepForStep(Study study) throws IOException {
        Parameters server = client.operation().onInstance(new IdType("Group", study.groupId()))
                .named("$naltrexone-survival").withParameter(Parameters.class, "start", new DateType(study.start()))
                .andParameter("end", new DateType(study.end()))
                .andParameter("asOf", new DateTimeType(study.asOf().toString()))
                .useHttpGet().execute();
        Path results = study.results();
        Map<String, String[]> tables = SurvivalParameters.asCsv(server);
        assertThat(tables.keySet()).containsExactly("retention", "induction", "relapse-free");
        for (Map.Entry<String, String[]> analysis : tables.entrySet()) {
            String name = analysis.getKey();
            assertThat(analysis.getValue()[0]).as(name + " curves")
                    .isEqualTo(Files.readString(results.resolve("survival/" + name + "-curves.csv")));
            assertThat(analysis.getValue()[1]).as(name + " summary")
                    .isEqualTo(Files.readString(results.resolve("survival/" + name + "-summary.csv")));
            assertThat(analysis.getValue()[2]).as(name + " log-rank")
                    .isEqualTo(Files.readString(results.resolve("survival/" + name + "-logrank.csv")));
        }
        assertThat(tables.get("retention")[0].lines().count()).as("retention curve steps")
                .isGreaterThan(Math.min(10, study.treated()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("studies")
    void everyPatientHasTheSameFiguresDateForDate(Study study) throws IOException {
        Map<String, Map<String, String>> job = readSparkCsv(study.results().resolve("patients.csv"), "patient_id");
        Map<String, Map<String, String>> server = new TreeMap<>();
        Group group = client.read().resource(Group.class).withId(study.groupId()).execute();
        Instant from = LocalDate.parse(study.start()).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = LocalDate.parse(study.end()).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        this.study.forEachOutcome(new OutcomeStudy.Period(from, to, Optional.of(group)), study.asOf(), outcome -> {
            Map<String, String> columns = new LinkedHashMap<>();
            columns.put("start_date", outcome.start().atZone(ZoneOffset.UTC).toLocalDate().toString());
            columns.putAll(PatientColumns.of(outcome));
            server.put(outcome.patientId(), columns);
        });
        assertThat(server).hasSize(study.treated());
        assertThat(job.keySet()).containsExactlyInAnyOrderElementsOf(server.keySet());
        for (Map.Entry<String, Map<String, String>> patient : server.entrySet()) {
            Map<String, String> row = job.get(patient.getKey());
            patient.getValue().forEach((column, value) ->
                    assertThat(row.get(column)).as("patient %s, %s", patient.getKey(), column).isEqualTo(value));
        }
    }

    /** Every count (and score) of a MeasureReport by measure, stratifier, stratum and population. */
    static Map<String, String> figures(MeasureReport report) {
        Map<String, String> figures = new TreeMap<>();
        for (MeasureReport.MeasureReportGroupComponent group : report.getGroup()) {
            String measure = group.getCode().getCodingFirstRep().getCode();
            if (measure.startsWith("cds-card-overridden:")) {
                // From the server's CDS feedback log, which no export carries (measures/README.md).
                continue;
            }
            for (MeasureReport.MeasureReportGroupPopulationComponent population : group.getPopulation()) {
                figures.put(measure + "|all|all|" + population.getCode().getCodingFirstRep().getCode(),
                        Integer.toString(population.getCount()));
            }
            if (group.hasMeasureScore()) {
                figures.put(measure + "|all|all|score", score(group.getMeasureScore().getValue().doubleValue()));
            }
            for (MeasureReport.MeasureReportGroupStratifierComponent stratifier : group.getStratifier()) {
                String dimension = stratifier.getCodeFirstRep().getText();
                for (MeasureReport.StratifierGroupComponent stratum : stratifier.getStratum()) {
                    String key = measure + "|" + dimension + "|" + stratum.getValue().getText() + "|";
                    for (MeasureReport.StratifierGroupPopulationComponent population : stratum.getPopulation()) {
                        figures.put(key + population.getCode().getCodingFirstRep().getCode(),
                                Integer.toString(population.getCount()));
                    }
                    if (stratum.hasMeasureScore()) {
                        figures.put(key + "score", score(stratum.getMeasureScore().getValue().doubleValue()));
                    }
                }
            }
        }
        return figures;
    }

    /**
     * Scores are quotients of the counts compared above, or (oral-pdc-mean) a mean of proportions whose sum Spark
     * adds in its own order: compared to 12 significant digits, far below any figure a report shows.
     */
    private static String score(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
    }

    /** Loads the cohort in transactions of 50 patients; returns the Patient ids the server assigned. */
    private List<String> load(SyntheticCohort cohort, int patients) {
        long started = System.nanoTime();
        List<String> ids = new ArrayList<>();
        Bundle batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < patients; i++) {
            batch.getEntry().addAll(cohort.patient(i).getEntry());
            if ((i + 1) % 50 == 0 || i == patients - 1) {
                Bundle response = client.transaction().withBundle(batch).execute();
                for (int e = 0; e < batch.getEntry().size(); e++) {
                    if (batch.getEntry().get(e).getResource() instanceof Patient) {
                        ids.add(new IdType(response.getEntry().get(e).getResponse().getLocation())
                                .toUnqualifiedVersionless().getValue());
                    }
                }
                batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            }
        }
        System.out.printf("one-truth: %d patients loaded in %.1f s%n", patients, (System.nanoTime() - started) / 1e9);
        return ids;
    }

    /**
     * The Synthea population through the loader a user runs (hospitals and practitioners first); returns the ids the
     * server gave its patients, found by the identifier Synthea puts on each (the patient file's name ends with it).
     */
    private List<String> loadSynthea() throws Exception {
        // Shipped gzipped (Synthea's files are 4 MB a patient, mostly claims); unpacked as Synthea wrote them.
        Path folder = WORK.resolve("synthea-input");
        Files.createDirectories(folder);
        try (Stream<Path> shipped = Files.list(SYNTHEA)) {
            for (Path gz : shipped.filter(f -> f.toString().endsWith(".json.gz")).toList()) {
                String name = gz.getFileName().toString();
                try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
                    Files.copy(in, folder.resolve(name.substring(0, name.length() - ".gz".length())));
                }
            }
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SyntheaLoader.Report report = new SyntheaLoader("http://127.0.0.1:" + port + "/fhir",
                new PrintStream(progress, true, StandardCharsets.UTF_8)).load(folder);
        assertThat(report.refused()).as(progress.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(report.loaded()).hasSize(5);
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".json") || name.startsWith("hospital") || name.startsWith("practitioner")) {
                    continue;
                }
                String uuid = name.substring(name.length() - ".json".length() - 36, name.length() - ".json".length());
                Bundle found = client.search().forResource(Patient.class)
                        .where(Patient.IDENTIFIER.exactly().systemAndCode("https://github.com/synthetichealth/synthea", uuid))
                        .returnBundle(Bundle.class).execute();
                assertThat(found.getEntry()).as("patient " + uuid).hasSize(1);
                ids.add(found.getEntryFirstRep().getResource().getIdElement().toUnqualifiedVersionless().getValue());
            }
        }
        return ids;
    }

    /** Group/$export of the record types the measures read; files written as Pathling reads them. */
    private void exportGroup(String groupId, Path folder) throws Exception {
        HttpResponse<String> kickOff = http.send(HttpRequest.newBuilder(uri("/fhir/Group/" + groupId
                        + "/$export?_type=" + String.join(",", EXPORTED)))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String statusUrl = kickOff.headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> status = null;
        for (int attempt = 0; attempt < 600; attempt++) {
            jobMaintenance.forceMaintenancePass();
            status = http.send(HttpRequest.newBuilder(URI.create(statusUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (status.statusCode() == 200) {
                break;
            }
            assertThat(status.statusCode()).as(status.body()).isEqualTo(202);
            Thread.sleep(200);
        }
        assertThat(status.statusCode()).as("export did not complete").isEqualTo(200);
        Map<String, Integer> numbers = new TreeMap<>();
        for (JsonNode output : json.readTree(status.body()).get("output")) {
            String type = output.get("type").asText();
            int n = numbers.merge(type, 1, Integer::sum);
            HttpResponse<Path> file = http.send(HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                            .header("Accept", "application/fhir+ndjson").GET().build(),
                    HttpResponse.BodyHandlers.ofFile(folder.resolve(String.format("%s.%03d.ndjson", type, n))));
            assertThat(file.statusCode()).isEqualTo(200);
        }
        assertThat(numbers).containsKeys("Patient", "MedicationRequest", "Condition");
    }

    /** The Spark job as a separate process on a JDK 21+ (analytics/run), packaged first. */
    private static void runJob(Path export, Study study) throws IOException, InterruptedException {
        Path analytics = Path.of("analytics").toAbsolutePath();
        // Always (re)packaged: a jar left from an older build would compare the server with an older job.
        int built = run(List.of(analytics.resolve("build").toString(), "-o", "-q", "-DskipTests", "package"),
                WORK.resolve("analytics-build.log"), 15);
        assertThat(built).as("building the job, see " + WORK.resolve("analytics-build.log")).isZero();
        long started = System.nanoTime();
        Path log = WORK.resolve(study.name()).resolve("job.log");
        int exit = run(List.of(analytics.resolve("run").toString(), "--input", export.toAbsolutePath().toString(),
                "--output", study.results().toAbsolutePath().toString(), "--as-of", study.asOf().toString(),
                "--start", study.start(), "--end", study.end(), "--identified", "--no-plots"), log, 20);
        System.out.printf("one-truth: %s, Spark job in %.1f s%n", study.name(), (System.nanoTime() - started) / 1e9);
        assertThat(exit).as("the job's exit code, see " + log).isZero();
    }

    private static int run(List<String> command, Path log, int minutes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("NTX_OUTCOMES_PSEUDONYM_SALT", "one-truth");
        builder.environment().put("ANALYTICS_JAVA_OPTS", "-Xmx2g");
        builder.environment().remove("MAVEN_CMD_LINE_ARGS");
        Process process = builder.start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in " + minutes + " minutes; see " + log);
        }
        return process.exitValue();
    }

    /** A CSV that Spark wrote (a folder with one part file), keyed by one column. */
    static Map<String, Map<String, String>> readSparkCsv(Path folder, String key) throws IOException {
        Path part;
        try (Stream<Path> files = Files.list(folder)) {
            part = files.filter(p -> p.getFileName().toString().startsWith("part-")
                    && p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(part, StandardCharsets.UTF_8);
        String[] header = lines.get(0).split(",", -1);
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(row.get(key), row);
        }
        return rows;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> all = Files.walk(path)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
