package org.ntx.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.cohort.SyntheticCohort;
import org.ntx.support.TestPostgres;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Research at scale (issue 19, item 5). Two parts, each on the synthetic cohort ({@link SyntheticCohort}):
 * <ol>
 *   <li>{@code --server N}: the whole path through the server. A fresh server on embedded PostgreSQL, N patients
 *       loaded through the FHIR API in transactions of 100 patients (two at a time; the load rate is measured and
 *       printed), then {@code $export} (kick-off to complete manifest, and the download) with the server's peak heap
 *       and RSS sampled every 200 ms, the Spark job on that export (wall time and peak RSS of its process), and
 *       {@code $naltrexone-outcomes} and {@code $naltrexone-survival} on the same period and evaluation date.</li>
 *   <li>{@code --job N}: the Spark job alone on an export of N patients written as the server's {@code $export}
 *       writes it (ids assigned, references {@code Type/id}); what loading N patients through the API would cost is
 *       not part of the job's cost.</li>
 * </ol>
 * Figures are appended to {@code bench/research-at-scale.json} (one object per measurement, the shape of
 * bench/results.json). No assertions: the ratios are printed and compared with the goals in the README.
 */
public final class ResearchAtScale {

    static final Instant AS_OF = Instant.parse("2025-06-01T00:00:00Z");
    static final String START = "2024-01-01";
    static final String END = "2025-05-31";
    static final List<String> TYPES = List.of("Patient", "Encounter", "MedicationRequest", "MedicationDispense",
            "MedicationAdministration", "MedicationStatement", "Observation", "Condition");
    /** The job's heap (local mode: driver and executor are one JVM); RESEARCH_JOB_HEAP=-Xmx2g to try another. */
    static final String JOB_HEAP = System.getenv().getOrDefault("RESEARCH_JOB_HEAP", "-Xmx3g");
    /** The server's heap in {@code --server} runs (the benchmark's -Xmx4g unless set): a smaller one shows whether
     *  $export and the operations stay inside it at a larger cohort. */
    static final String SERVER_HEAP = System.getenv().getOrDefault("RESEARCH_SERVER_HEAP", "-Xmx4g");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private static final Path RESEARCH_FIGURES = Path.of("bench", "research-at-scale.json");

    public static void main(String[] args) throws Exception {
        ResearchAtScale bench = new ResearchAtScale();
        int status = 0;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                int patients = Integer.parseInt(args[i + 1]);
                switch (args[i]) {
                    case "--server" -> bench.throughTheServer(patients);
                    case "--job" -> bench.jobAlone(patients);
                    default -> throw new IllegalArgumentException("--server N | --job N, got " + args[i]);
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        // Exit, so that a failure cannot leave exec:java waiting on a worker thread (the server was closed above).
        System.exit(status);
    }

    void throughTheServer(int patients) throws Exception {
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("naltrexone-fhir-service-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Run mvn package first"));
        }
        Path work = Path.of("target", "research-at-scale", "server-" + patients).toAbsolutePath();
        delete(work);
        Files.createDirectories(work);
        try (TestPostgres postgres = TestPostgres.start();
             Benchmark.Server server = Benchmark.Server.start(jar, List.of(SERVER_HEAP), List.of(
                     "--spring.datasource.url=" + postgres.jdbcUrl(),
                     "--spring.datasource.username=" + postgres.username(),
                     "--spring.datasource.password=" + postgres.password(),
                     "--ntx.limits.max-bundle-entries=5000"))) {
            server.awaitReady();
            double loadSeconds = load(server, patients);
            System.out.printf(Locale.ROOT, "research: %d patients loaded in %.0f s (%.1f patients/s)%n", patients,
                    loadSeconds, patients / loadSeconds);
            record("Load through the FHIR API (transactions of 100 patients)", patients, "patients/s",
                    patients / loadSeconds, null, null);

            Path export = work.resolve("export");
            Files.createDirectories(export);
            Sampler heap = new Sampler(() -> heapUsed(server));
            Sampler rss = new Sampler(() -> rss(server));
            long t0 = System.nanoTime();
            double[] phases = export(server, export);
            double exportSeconds = (System.nanoTime() - t0) / 1e9;
            long peakHeap = heap.stop();
            long peakRss = rss.stop();
            System.out.printf(Locale.ROOT, "research: $export of %d patients: %.1f s to complete, %.1f s download; "
                    + "server peak heap %.0f MiB, peak RSS %.0f MiB%n", patients, phases[0], phases[1],
                    mib(peakHeap), mib(peakRss));
            record("$export (kick-off to files downloaded; server " + SERVER_HEAP + ")", patients, "s", exportSeconds, mib(peakHeap), mib(peakRss));

            Measured job = runJob(export, work.resolve("results"));
            record("Spark job on the export (local[*], " + JOB_HEAP + ")", patients, "s", job.seconds, null,
                    mib(job.peakRss));

            for (String operation : List.of("$naltrexone-outcomes", "$naltrexone-survival")) {
                Sampler opHeap = new Sampler(() -> heapUsed(server));
                long s0 = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/fhir/"
                        + operation + "?start=" + START + "&end=" + END + "&asOf=" + AS_OF))
                        .timeout(Duration.ofHours(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - s0) / 1e9;
                long opPeak = opHeap.stop();
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(operation + " failed: " + response.statusCode());
                }
                System.out.printf(Locale.ROOT, "research: %s on %d patients: %.1f s, peak heap %.0f MiB%n",
                        operation, patients, seconds, mib(opPeak));
                record(operation + " on the server (" + SERVER_HEAP + ")", patients, "s", seconds, mib(opPeak), null);
            }
        }
    }

    void jobAlone(int patients) throws Exception {
        Path work = Path.of("target", "research-at-scale", "job-" + patients).toAbsolutePath();
        delete(work);
        Path export = work.resolve("export");
        Files.createDirectories(export);
        long t0 = System.nanoTime();
        writeExport(new SyntheticCohort(1919, AS_OF), patients, export);
        System.out.printf(Locale.ROOT, "research: export of %d patients written in %.0f s%n", patients,
                (System.nanoTime() - t0) / 1e9);
        Measured job = runJob(export, work.resolve("results"));
        record("Spark job on an export as $export writes it (local[*], " + JOB_HEAP + ")", patients, "s",
                job.seconds, null, mib(job.peakRss));
    }

    record Measured(double seconds, long peakRss) {}

    /** The job as a separate process (analytics/run) with its heap fixed; peak RSS sampled from /proc. */
    private Measured runJob(Path export, Path output) throws Exception {
        Path analytics = Path.of("analytics").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(analytics.resolve("run").toString(), "--input", export.toString(),
                "--output", output.toString(), "--as-of", AS_OF.toString(), "--start", START, "--end", END,
                "--no-plots").redirectErrorStream(true).redirectOutput(output.getParent().resolve("job.log").toFile());
        builder.environment().put("ANALYTICS_JAVA_OPTS", JOB_HEAP);
        builder.environment().put("NTX_OUTCOMES_PSEUDONYM_SALT", "bench");
        long t0 = System.nanoTime();
        Process process = builder.start();
        long pid = process.pid();
        Sampler rss = new Sampler(() -> rssOf(pid));
        if (!process.waitFor(3, TimeUnit.HOURS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the job did not finish in 3 hours");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = Math.max(rss.stop(), hwm(pid));
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the job failed; see " + output.getParent().resolve("job.log"));
        }
        System.out.printf(Locale.ROOT, "research: Spark job: %.1f s, peak RSS %.0f MiB (heap %s)%n", seconds,
                mib(peak), JOB_HEAP);
        return new Measured(seconds, peak);
    }

    /**
     * Transactions of 100 patients, two at a time, after the first one alone: the cohort's records name shared
     * resources (Practitioner/synthetic-nurse) that the server creates as placeholders on first reference, and two
     * transactions creating the same placeholder at once collide on its id.
     */
    private double load(Benchmark.Server server, int patients) throws Exception {
        SyntheticCohort cohort = new SyntheticCohort(1919, AS_OF);
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long t0 = System.nanoTime();
            sendPatients(server, cohort, parser, 0, Math.min(patients, 100));
            List<Future<?>> sent = new ArrayList<>();
            for (int first = 100; first < patients; first += 100) {
                int from = first;
                sent.add(pool.submit(() -> {
                    sendPatients(server, cohort, parser, from, Math.min(patients, from + 100));
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private void sendPatients(Benchmark.Server server, SyntheticCohort cohort, IParser parser, int from, int to)
            throws Exception {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = from; i < to; i++) {
            tx.getEntry().addAll(cohort.patient(i).getEntry());
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base() + "/fhir"))
                .header("Content-Type", "application/fhir+json").timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(parser.encodeResourceToString(tx))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("transaction of patients " + from + "-" + (to - 1) + " failed: "
                    + r.statusCode() + " " + r.body().substring(0, Math.min(500, r.body().length())));
        }
    }

    /** {seconds until the manifest is complete, seconds to download the files}. */
    private double[] export(Benchmark.Server server, Path folder) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> kickOff = http.send(HttpRequest.newBuilder(URI.create(server.base()
                        + "/fhir/$export?_type=" + String.join(",", TYPES)))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (kickOff.statusCode() != 202) {
            throw new IllegalStateException("export kick-off: " + kickOff.statusCode() + " " + kickOff.body());
        }
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        HttpResponse<String> manifest;
        while (true) {
            manifest = http.send(HttpRequest.newBuilder(URI.create(status)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (manifest.statusCode() == 200) {
                break;
            }
            if (manifest.statusCode() != 202) {
                throw new IllegalStateException("export status: " + manifest.statusCode() + " " + manifest.body());
            }
            Thread.sleep(500);
        }
        double complete = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Map<String, Integer> numbers = new HashMap<>();
        for (JsonNode output : json.readTree(manifest.body()).get("output")) {
            String type = output.get("type").asText();
            int n = numbers.merge(type, 1, Integer::sum);
            http.send(HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                            .header("Accept", "application/fhir+ndjson").GET().build(),
                    HttpResponse.BodyHandlers.ofFile(folder.resolve(String.format("%s.%03d.ndjson", type, n))));
        }
        return new double[] {complete, (System.nanoTime() - t1) / 1e9};
    }

    /** The cohort as $export writes it: ids assigned, every urn:uuid reference as Type/id (SyntheticCohortExportTest). */
    static void writeExport(SyntheticCohort cohort, int patients, Path folder) throws IOException {
        IParser parser = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(false);
        Map<String, BufferedWriter> files = new LinkedHashMap<>();
        try {
            for (int i = 0; i < patients; i++) {
                Bundle bundle = cohort.patient(i);
                Map<String, String> ids = new HashMap<>();
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    String uuid = entry.getFullUrl().substring("urn:uuid:".length());
                    ids.put(entry.getFullUrl(), entry.getResource().fhirType() + "/" + uuid);
                    entry.getResource().setId(uuid);
                }
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    Resource resource = entry.getResource();
                    for (Reference reference : FhirContext.forR4Cached().newTerser()
                            .getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                        if (reference.hasReference() && ids.containsKey(reference.getReference())) {
                            reference.setReference(ids.get(reference.getReference()));
                        }
                    }
                    BufferedWriter out = files.get(resource.fhirType());
                    if (out == null) {
                        out = Files.newBufferedWriter(folder.resolve(resource.fhirType() + ".000.ndjson"),
                                StandardCharsets.UTF_8);
                        files.put(resource.fhirType(), out);
                    }
                    out.write(parser.encodeResourceToString(resource));
                    out.write('\n');
                }
            }
        } finally {
            for (BufferedWriter out : files.values()) {
                out.close();
            }
        }
    }

    private synchronized void record(String scenario, int patients, String unit, double value, Double peakHeapMiB,
                                     Double peakRssMiB) throws IOException {
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode all = Files.exists(RESEARCH_FIGURES) ? (ArrayNode) pretty.readTree(RESEARCH_FIGURES.toFile())
                : pretty.createArrayNode();
        ObjectNode row = all.addObject();
        row.put("scenario", scenario + ", " + patients + " patients");
        row.put("patients", patients);
        row.put(unit.equals("s") ? "seconds" : unit, Math.round(value * 10) / 10.0);
        if (peakHeapMiB != null) {
            row.put("peakHeapMiB", Math.round(peakHeapMiB));
        }
        if (peakRssMiB != null) {
            row.put("peakRssMiB", Math.round(peakRssMiB));
        }
        row.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Math.round(totalMemoryGiB()) + " GiB");
        row.put("java", System.getProperty("java.version") + " (server); job on analytics/bin/find-jdk");
        row.put("date", LocalDate.now().toString());
        row.put("loadAverage", loadAverage());
        pretty.writeValue(RESEARCH_FIGURES.toFile(), all);
        copyIntoResultsJson(pretty, row);
    }

    /** Every figure recorded so far, each marked as coming from bench/research.sh (read by the benchmark). */
    static List<JsonNode> recordedFigures() throws IOException {
        List<JsonNode> figures = new ArrayList<>();
        if (Files.exists(RESEARCH_FIGURES)) {
            for (JsonNode figure : new ObjectMapper().readTree(RESEARCH_FIGURES.toFile())) {
                figures.add(((ObjectNode) figure.deepCopy()).put("from", "bench/research.sh"));
            }
        }
        return figures;
    }

    /** bench/results.json holds every figure the README reports: this one is added to it too. */
    private static void copyIntoResultsJson(ObjectMapper pretty, ObjectNode row) throws IOException {
        Path file = Path.of("bench", "results.json");
        ArrayNode all = Files.exists(file) ? (ArrayNode) pretty.readTree(file.toFile()) : pretty.createArrayNode();
        all.add(row.deepCopy().put("from", "bench/research.sh"));
        pretty.writeValue(file.toFile(), all);
    }

    /** The 1, 5 and 15 minute load averages when the figure was recorded (the machine is shared). */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return 0;
    }

    /** Heap in use from the server's Prometheus endpoint. */
    private long heapUsed(Benchmark.Server server) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.base()
                    + "/actuator/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return (long) sum;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long rss(Benchmark.Server server) {
        try {
            return server.rssBytes();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Resident set of a process and its children's JVM (analytics/run execs java, so the pid is the JVM's). */
    private static long rssOf(long pid) {
        return status(pid, "VmRSS:");
    }

    private static long hwm(long pid) {
        return status(pid, "VmHWM:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // the process has ended
        }
        return 0;
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static void delete(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var all = Files.walk(path)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Samples a figure every 200 ms on its own thread until stopped; returns the maximum. */
    private static final class Sampler {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Sampler(LongSupplier figure) {
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(figure.getAsLong(), Math::max);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get();
        }
    }
}
