package org.ntx.bench;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.ntx.support.StalledServer;
import org.ntx.support.TestPostgres;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The repository's benchmark: starts the packaged server (as an operator would, in its own JVM) on embedded
 * PostgreSQL and on the embedded H2 default, loads data through the FHIR API, and measures on loopback the plain
 * {@code GET Patient/{id}} baseline and the service's own endpoints, reporting each as throughput, p50/p99 latency
 * and the ratio to the baseline measured in the same run. Results go to bench/results.md.
 *
 * <p>Run with {@code bench/run.sh} (see the README). Bounded: every scenario has a fixed warm-up and measuring time.
 */
public final class Benchmark {

    private static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private final FhirContext fhirContext = FhirContext.forR4();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final boolean quick;
    private final Path jar;
    private final List<String> report = new ArrayList<>();
    /** Every figure of the run, for bench/results.json (the README table is generated from it). */
    private final List<Map<String, Object>> figures = new ArrayList<>();
    private final String machine;
    private final String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    /** The machine's load when the run began: this host is shared, and its load moves every figure. */
    private final String loadAtStart = loadAverage();

    private Benchmark(boolean quick, Path jar) {
        this.quick = quick;
        this.jar = jar;
        long memoryBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        this.machine = String.format(Locale.ROOT, "%d cores, %.1f GiB", Runtime.getRuntime().availableProcessors(),
                memoryBytes / 1024.0 / 1024 / 1024);
    }

    /** One entry of results.json; {@code ratio}, {@code target} and {@code met} may be null (no target). */
    private void result(String scenario, LoadResult load, Double ratio, String ratioTo, String target, Boolean met) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("scenario", scenario);
        entry.put("requestsPerSecond", load == null ? null : round(load.throughput(), 1));
        entry.put("p50Ms", load == null ? null : round(load.percentileMillis(50), 1));
        entry.put("p99Ms", load == null ? null : round(load.percentileMillis(99), 1));
        entry.put("errors", load == null ? null : load.errors());
        entry.put("ratio", ratio == null ? null : round(ratio, 2));
        entry.put("ratioTo", ratioTo);
        entry.put("target", target);
        entry.put("met", met);
        entry.put("machine", machine);
        entry.put("java", System.getProperty("java.version"));
        entry.put("date", started);
        entry.put("loadAverage", loadAtStart);
        entry.put("quick", quick);
        figures.add(entry);
    }

    private static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean profile = List.of(args).contains("--profile");
        boolean footprint = List.of(args).contains("--footprint");
        Path jar;
        try (var files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("naltrexone-fhir-service-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Run mvn package first"));
        }
        if (footprint) {
            int at = List.of(args).indexOf("--label");
            new Benchmark(quick, jar).footprint(at >= 0 && at + 1 < args.length ? args[at + 1] : "after");
        } else if (profile) {
            new Benchmark(true, jar).profile();
        } else if (List.of(args).contains("--remote")) {
            List<String> serverArguments = List.of(args).stream().filter(a -> a.startsWith("--server-arg="))
                    .map(a -> a.substring("--server-arg=".length())).toList();
            new Benchmark(true, jar).remoteOnly(serverArguments);
        } else {
            new Benchmark(quick, jar).run();
        }
    }

    /**
     * {@code --profile}: the two slowest scenarios only (own-store CDS with a full read on every call, validated
     * ingest with every resource through the validator), with Java Flight Recorder on in the server, writing
     * {@code target/bench-profile.jfr} for {@code bench/hot-methods.py}. No results file.
     */
    private void profile() throws Exception {
        LoadGenerator load = new LoadGenerator(4, Duration.ofSeconds(5), Duration.ofSeconds(20));
        Path recording = Path.of("target", "bench-profile.jfr").toAbsolutePath();
        try (TestPostgres postgres = TestPostgres.start();
             Server server = Server.start(jar, List.of("-XX:StartFlightRecording=filename=" + recording
                     + ",settings=profile,dumponexit=true"), with(postgresArguments(postgres),
                     "--ntx.cds.reuse-stored-records=false", "--ntx.validation.remember-conforming-shapes=false"))) {
            List<String> ids = seedCdsPatients(server, 50);
            createBenchPractitioner(server);
            AtomicLong sequence = new AtomicLong();
            for (LoadResult result : List.of(
                    load.run("CDS order-sign, no prefetch (own store, full read every call)",
                            i -> post(server, "/cds-services/naltrexone-order-sign", orderSign(ids.get(i % ids.size())))),
                    load.run("Ingest: profiled transaction, validation on",
                            i -> post(server, "/fhir", ingestBundle(sequence.incrementAndGet(), true),
                                    "application/fhir+json")))) {
                System.out.printf(Locale.ROOT, "%s: %.1f req/s, p50 %.1f ms%n", result.scenario(), result.throughput(),
                        result.percentileMillis(50));
            }
        }
        System.out.println("Recording: " + recording);
    }

    /**
     * {@code --remote [--server-arg=--some.setting=value]...}: the remote scenarios only (quick timings), on one
     * server on PostgreSQL with 50 patients, printed and not written: for working on the remote read without a
     * full run. The server arguments are passed on, so a setting can be tried without a rebuild.
     */
    private void remoteOnly(List<String> serverArguments) throws Exception {
        header();
        try (TestPostgres postgres = TestPostgres.start();
             Server server = Server.start(jar, List.of(), with(postgresArguments(postgres),
                     serverArguments.toArray(String[]::new)))) {
            List<String> ids = seedCdsPatients(server, 50);
            createBenchPractitioner(server);
            remote(server, ids, new LoadGenerator(4, Duration.ofSeconds(2), Duration.ofSeconds(5)));
        }
        System.out.println(String.join("\n", report));
        System.out.println("Server arguments: " + serverArguments + "; load average at the end: " + loadAverage());
    }

    private static List<String> with(List<String> arguments, String... more) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> postgresArguments(TestPostgres postgres) {
        return List.of("--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password());
    }

    /**
     * The ingest bundles reference this performer; created once here so that four concurrent writers do not race to
     * create the same placeholder.
     */
    private void createBenchPractitioner(Server server) throws Exception {
        Bundle practitioner = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        org.hl7.fhir.r4.model.Practitioner nurse = new org.hl7.fhir.r4.model.Practitioner();
        nurse.setId("bench");
        put(practitioner, nurse);
        send(server, practitioner);
    }

    private void run() throws Exception {
        Duration warmUp = Duration.ofSeconds(quick ? 2 : 5);
        Duration measure = Duration.ofSeconds(quick ? 5 : 15);
        LoadGenerator load = new LoadGenerator(4, warmUp, measure);
        header();

        Path h2 = Files.createTempDirectory("ntx-bench-h2");
        try (Server embedded = Server.start(jar, List.of(), List.of("--ntx.data-dir=" + h2))) {
            report.add(String.format(Locale.ROOT, "- Start-up on the embedded H2 default: %.1f s to the first 200 on "
                    + "/fhir/metadata", embedded.startupSeconds()));
            List<String> ids = seedCdsPatients(embedded, 50);
            LoadResult h2Read = load.run("GET Patient/{id} (H2 default)", i -> get(embedded, "/fhir/Patient/"
                    + ids.get(i % ids.size())));
            report.add(String.format(Locale.ROOT, "- Plain read on H2: %.0f req/s, p50 %.1f ms", h2Read.throughput(),
                    h2Read.percentileMillis(50)));
        }

        try (TestPostgres postgres = TestPostgres.start();
             Server server = Server.start(jar, List.of(), postgresArguments(postgres))) {
            report.add(String.format(Locale.ROOT, "- Start-up on PostgreSQL: %.1f s (reference: a plain HAPI 8.8.0 "
                    + "JPA server took 37-42 s here, up to ~90 s on a busy box; HAPI-NOTES)", server.startupSeconds()));
            List<String> ids = seedCdsPatients(server, quick ? 50 : 200);
            createBenchPractitioner(server);
            List<String> prefetched = new ArrayList<>();
            for (String id : ids) {
                prefetched.add(orderSignWithPrefetch(server, id));
            }
            AtomicLong sequence = new AtomicLong();
            Map<String, IntFunction<HttpRequest>> scenarios = new LinkedHashMap<>();
            scenarios.put("GET Patient/{id} (baseline)", i -> get(server, "/fhir/Patient/" + ids.get(i % ids.size())));
            scenarios.put("CDS order-sign, full prefetch",
                    i -> post(server, "/cds-services/naltrexone-order-sign", prefetched.get(i % ids.size())));
            scenarios.put("CDS order-sign, no prefetch (own store, record unchanged since last call)",
                    i -> post(server, "/cds-services/naltrexone-order-sign", orderSign(ids.get(i % ids.size()))));
            scenarios.put("CDS patient-view, no prefetch",
                    i -> post(server, "/cds-services/naltrexone-patient-view", patientView(ids.get(i % ids.size()))));
            scenarios.put("GET Patient/{id}/$naltrexone-status",
                    i -> get(server, "/fhir/Patient/" + ids.get(i % ids.size()) + "/$naltrexone-status"));
            scenarios.put("Ingest: profiled transaction, validation on",
                    i -> post(server, "/fhir", ingestBundle(sequence.incrementAndGet(), true), "application/fhir+json"));
            scenarios.put("Ingest: profiled transaction, validation on, every resource a new shape (unique note)",
                    i -> post(server, "/fhir", ingestBundle(sequence.incrementAndGet(), true, true),
                            "application/fhir+json"));
            scenarios.put("Ingest: same transaction, no profile claims (validation off)",
                    i -> post(server, "/fhir", ingestBundle(sequence.incrementAndGet(), false), "application/fhir+json"));
            // One warm-up pass over every scenario first: the JIT compiles the paths all of them share (HTTP,
            // JSON, HAPI's server) before anything is measured, so early scenarios are not measured on a cold JVM.
            LoadGenerator warmUpPass = new LoadGenerator(4, Duration.ZERO, warmUp);
            for (Map.Entry<String, IntFunction<HttpRequest>> scenario : scenarios.entrySet()) {
                warmUpPass.run(scenario.getKey(), scenario.getValue());
            }
            // Every scenario, the baseline included, is measured in each of several rounds and its best round counts:
            // this machine's speed drifts by up to 2x between minutes (a shared host), and taking every scenario's
            // best keeps the ratios fair without favouring any of them.
            int rounds = quick ? 1 : 2;
            Map<String, List<LoadResult>> measured = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, IntFunction<HttpRequest>> scenario : scenarios.entrySet()) {
                    measured.computeIfAbsent(scenario.getKey(), k -> new ArrayList<>())
                            .add(load.run(scenario.getKey(), scenario.getValue()));
                }
            }
            // A second node of the same database with every reuse off. Order-sign there reads all six resource types
            // on every call (the cost after each write to the patient, or of the first call); validated ingest there
            // runs HAPI's FhirInstanceValidator, a new HL7 validator per resource, on every resource (the "before" of
            // our validator). Warmed up the same way.
            String fullReadName = "CDS order-sign, no prefetch (own store, full read every call)";
            String secondReadName = "GET Patient/{id} (second node; the full read's baseline)";
            String hapiValidatorName = "Ingest: profiled transaction, validation on, HAPI's validator per resource "
                    + "(second node; before)";
            try (Server second = Server.start(jar, List.of(), with(postgresArguments(postgres),
                    "--ntx.cds.reuse-stored-records=false", "--ntx.validation.reuse-validators=false",
                    "--ntx.validation.remember-conforming-shapes=false"))) {
                Map<String, IntFunction<HttpRequest>> secondNode = new LinkedHashMap<>();
                secondNode.put(fullReadName,
                        i -> post(second, "/cds-services/naltrexone-order-sign", orderSign(ids.get(i % ids.size()))));
                secondNode.put(hapiValidatorName, i -> post(second, "/fhir", ingestBundle(sequence.incrementAndGet(),
                        true), "application/fhir+json"));
                // The full read's own baseline: the plain read on the same JVM. A second JVM is not as warm as the
                // first however long it is warmed up (see bench/profiling.md), so a ratio across JVMs is not fair.
                secondNode.put(secondReadName, i -> get(second, "/fhir/Patient/" + ids.get(i % ids.size())));
                for (IntFunction<HttpRequest> calls : secondNode.values()) {
                    warmUpPass.run("warm-up", calls);
                }
                for (int round = 0; round < rounds; round++) {
                    for (Map.Entry<String, IntFunction<HttpRequest>> scenario : secondNode.entrySet()) {
                        measured.computeIfAbsent(scenario.getKey(), k -> new ArrayList<>())
                                .add(load.run(scenario.getKey(), scenario.getValue()));
                    }
                }
            }
            List<LoadResult> results = new ArrayList<>();
            List<String> perRound = new ArrayList<>();
            for (Map.Entry<String, List<LoadResult>> scenario : measured.entrySet()) {
                results.add(scenario.getValue().stream().max(Comparator.comparingDouble(LoadResult::throughput))
                        .orElseThrow());
                perRound.add(String.format(Locale.ROOT, "- %s: %s req/s", scenario.getKey(), scenario.getValue()
                        .stream().map(r -> String.format(Locale.ROOT, "%.1f", r.throughput())).toList()));
            }
            // Table order: the full read next to the reused record, HAPI's validator after ours.
            LoadResult secondRead = results.remove(results.size() - 1);
            LoadResult hapiValidator = results.remove(results.size() - 1);
            results.add(3, results.remove(results.size() - 1));
            results.add(8, hapiValidator);
            results.add(secondRead);
            LoadResult reference = results.get(0);
            table(results, reference, rounds);
            ratios(results, reference);
            report.add("");
            report.add("Throughput in each round:");
            report.add("");
            report.addAll(perRound);
            remote(server, ids, load);
            outcomes(server);
        }
        try {
            startupComparison();
        } catch (Exception | AssertionError e) {
            report.add("");
            report.add("Start-up comparison failed: " + e);
        }
        write();
    }

    /**
     * Start-up against a plain HAPI JPA server of the same version ({@code plainhapi.PlainHapiServer}),
     * both from the same exploded classpath (the plain one is not packaged), each on a fresh PostgreSQL, alternating.
     */
    private void startupComparison() throws Exception {
        String dependencies = Files.readString(Path.of("target", "bench-classpath.txt")).trim();
        String ours = String.join(java.io.File.pathSeparator, "target/classes", dependencies);
        String plain = String.join(java.io.File.pathSeparator, "target/classes", "target/test-classes", dependencies);
        int rounds = quick ? 1 : 2;
        List<Double> ourTimes = new ArrayList<>();
        List<Double> plainTimes = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            plainTimes.add(startupSeconds(List.of("-cp", plain, "plainhapi.PlainHapiServer")));
            ourTimes.add(startupSeconds(List.of("-cp", ours, "org.ntx.Application")));
        }
        double ourMean = ourTimes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double plainMean = plainTimes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        report.add("");
        report.add("### Start-up against a plain HAPI server");
        report.add("");
        report.add(String.format(Locale.ROOT, "Seconds to the first 200 on /fhir/metadata, fresh PostgreSQL each time, "
                + "same classpath, %d round(s): ours %s, plain HAPI 8.8.0 JPA %s.", rounds, ourTimes, plainTimes));
        report.add(String.format(Locale.ROOT, "- start-up ours vs plain HAPI: %.2fx of its time (target <= 1.0x) %s",
                ourMean / plainMean, ourMean <= plainMean ? "met" : "NOT met"));
        result("Start-up to the first 200 on /fhir/metadata, ours vs a plain HAPI 8.8.0 JPA server", null,
                ourMean / plainMean, "plain HAPI's start-up time", "<= 1.0x", ourMean <= plainMean);
        figures.get(figures.size() - 1).put("seconds", round(ourMean, 1));
        figures.get(figures.size() - 1).put("referenceSeconds", round(plainMean, 1));
    }

    private double startupSeconds(List<String> launch) throws Exception {
        try (TestPostgres postgres = TestPostgres.start();
             Server server = Server.launch(List.of(), launch, postgresArguments(postgres))) {
            return Math.round(server.startupSeconds() * 10) / 10.0;
        }
    }

    // --- footprint ---------------------------------------------------------------------------------------------

    private record Footprint(double readySeconds, long rssAfterStartBytes, long rssAfterLoadBytes, long capabilityBytes) {}

    /**
     * {@code --footprint [--label before|after]}: what a lean server costs to run, against the plain HAPI server, both
     * from the same exploded classpath, each on a fresh PostgreSQL, alternating: the packaged jar's size, seconds
     * until ready (ours: readiness UP, or on builds before readiness existed the "ready" log line, which follows the
     * package install; plain HAPI: the first 200 on /fhir/metadata, it installs nothing), resident memory after start
     * and after a fixed load (the same transactions and reads on both), and the CapabilityStatement's size. Writes
     * {@code bench/footprint-<label>.md}; the "after" run also rewrites the README's footprint section, with the
     * "before" file beside it, so no figure is typed by hand.
     */
    private void footprint(String label) throws Exception {
        String dependencies = Files.readString(Path.of("target", "bench-classpath.txt")).trim();
        String ours = String.join(java.io.File.pathSeparator, "target/classes", dependencies);
        String plain = String.join(java.io.File.pathSeparator, "target/classes", "target/test-classes", dependencies);
        int rounds = quick ? 1 : 3;
        List<Footprint> ourRuns = new ArrayList<>();
        List<Footprint> plainRuns = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            plainRuns.add(measureFootprint(List.of("-cp", plain, "plainhapi.PlainHapiServer"), false));
            ourRuns.add(measureFootprint(List.of("-cp", ours, "org.ntx.Application"), true));
        }
        Footprint o = mean(ourRuns);
        Footprint p = mean(plainRuns);
        double jarMiB = Files.size(jar) / 1024.0 / 1024.0;
        List<String> table = new ArrayList<>();
        table.add(String.format(Locale.ROOT, "Footprint (%s), %s, %d cores, Java %s, %d round(s), each server on a fresh "
                        + "PostgreSQL, both from the same classpath; start-up is the best round, memory the mean:", label, Instant.now().truncatedTo(ChronoUnit.MINUTES),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds));
        table.add("");
        table.add("| Measure | Ours | Plain HAPI 8.8.0 JPA | Ours / plain | Goal |");
        table.add("|---|---|---|---|---|");
        table.add(String.format(Locale.ROOT, "| Packaged jar | %.1f MiB | | | <= 150 MiB, %s |", jarMiB,
                jarMiB <= 150 ? "met" : "not met"));
        table.add(row("Start-up until ready (s)", o.readySeconds(), p.readySeconds(), "%.1f", 0.8));
        table.add(row("RSS after start (MiB)", mib(o.rssAfterStartBytes()), mib(p.rssAfterStartBytes()), "%.0f", 1.2));
        table.add(row("RSS after load (MiB)", mib(o.rssAfterLoadBytes()), mib(p.rssAfterLoadBytes()), "%.0f", 0));
        table.add(row("CapabilityStatement (kB)", o.capabilityBytes() / 1000.0, p.capabilityBytes() / 1000.0, "%.0f",
                0));
        table.add("");
        table.add(String.format(Locale.ROOT, "Each round: ours %s, plain %s (ready s / RSS start MiB / RSS load MiB / "
                + "capability bytes). Load: %d s of 4 workers alternating a transaction (a patient, four injections) and a read.",
                describe(ourRuns), describe(plainRuns), FOOTPRINT_LOAD.toSeconds()));
        Path out = Path.of("bench", "footprint-" + label + ".md");
        Files.writeString(out, String.join("\n", table) + "\n");
        System.out.println(String.join("\n", table));
        System.out.println("Written to " + out);
        if (label.equals("after")) {
            writeReadmeFootprint(table);
        }
    }

    private static final Duration FOOTPRINT_LOAD = Duration.ofSeconds(20);
    private static final String README_START = "<!-- footprint: written by bench/run.sh --footprint -->";
    private static final String README_END = "<!-- /footprint -->";

    private Footprint measureFootprint(List<String> launch, boolean ours) throws Exception {
        try (TestPostgres postgres = TestPostgres.start();
             Server server = Server.launch(List.of(), launch, postgresArguments(postgres))) {
            double ready = ours ? server.awaitReady() : server.startupSeconds();
            long rssStart = server.rssBytes();
            HttpResponse<byte[]> capability = http.send(HttpRequest.newBuilder(URI.create(server.base()
                    + "/fhir/metadata")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            createBenchPractitioner(server);
            AtomicLong sequence = new AtomicLong();
            new LoadGenerator(4, Duration.ZERO, FOOTPRINT_LOAD).run("footprint load", i -> i % 2 == 0
                    ? post(server, "/fhir", ingestBundle(sequence.incrementAndGet(), false), "application/fhir+json")
                    : get(server, "/fhir/Practitioner/bench"));
            return new Footprint(ready, rssStart, server.rssBytes(), capability.body().length);
        }
    }

    private static Footprint mean(List<Footprint> runs) {
        // The best start-up counts, as for every timing here (the shared host's speed drifts); memory is averaged.
        return new Footprint(runs.stream().mapToDouble(Footprint::readySeconds).min().orElseThrow(),
                (long) runs.stream().mapToLong(Footprint::rssAfterStartBytes).average().orElseThrow(),
                (long) runs.stream().mapToLong(Footprint::rssAfterLoadBytes).average().orElseThrow(),
                (long) runs.stream().mapToLong(Footprint::capabilityBytes).average().orElseThrow());
    }

    private static String describe(List<Footprint> runs) {
        return runs.stream().map(f -> String.format(Locale.ROOT, "%.1f/%.0f/%.0f/%d", f.readySeconds(),
                mib(f.rssAfterStartBytes()), mib(f.rssAfterLoadBytes()), f.capabilityBytes())).toList().toString();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    /** A table row; {@code goal} is the largest ratio allowed, 0 for none. */
    private static String row(String measure, double ours, double plain, String format, double goal) {
        double ratio = ours / plain;
        String goalText = goal == 0 ? "" : String.format(Locale.ROOT, "<= %.1fx, %s", goal,
                ratio <= goal ? "met" : "not met");
        return String.format(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2fx | %s |", measure, ours, plain,
                ratio, goalText);
    }

    private static void writeReadmeFootprint(List<String> after) throws IOException {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme);
        int start = text.indexOf(README_START);
        int end = text.indexOf(README_END);
        if (start < 0 || end < start) {
            System.out.println("README has no footprint section; not updated");
            return;
        }
        List<String> section = new ArrayList<>(List.of(README_START, ""));
        section.addAll(after);
        Path before = Path.of("bench", "footprint-before.md");
        if (Files.exists(before)) {
            section.add("");
            section.add("Before this work (`bench/footprint-before.md`):");
            section.add("");
            section.addAll(Files.readAllLines(before));
        }
        section.add("");
        Files.writeString(readme, text.substring(0, start) + String.join("\n", section) + text.substring(end));
    }

    // --- scenarios --------------------------------------------------------------------------------------------

    private void outcomes(Server server) throws Exception {
        int small = quick ? 100 : 1000;
        int large = quick ? 1000 : 10000;
        seedCohort(server, 2021, small);
        seedCohort(server, 2019, large);
        Measured smallRun = timeOutcomes(server, 2021);
        Measured largeRun = timeOutcomes(server, 2019);
        report.add("");
        report.add("### Outcomes operation");
        report.add("");
        report.add("| Patients seeded | Cohort in the report | Time (s) | Peak server heap during the request (MB) |");
        report.add("|---|---|---|---|");
        report.add(String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f |", small, smallRun.cohort, smallRun.seconds,
                smallRun.peakHeapMb));
        report.add(String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f |", large, largeRun.cohort, largeRun.seconds,
                largeRun.peakHeapMb));
        report.add(String.format(Locale.ROOT, "%nTime ratio %dx patients: %.1fx (target: no more than 12x for 10x "
                + "patients)", large / small, largeRun.seconds / smallRun.seconds));
        outcomeFigure(String.format(Locale.ROOT, "Outcomes operation, %,d patients", small), smallRun, null, null,
                null);
        double growth = largeRun.seconds / smallRun.seconds;
        outcomeFigure(String.format(Locale.ROOT, "Outcomes operation, %,d patients", large), largeRun, growth,
                "<= 12x the time for 10x the patients", growth <= 12);
    }

    private record Measured(double seconds, double peakHeapMb, int cohort) {}

    private void outcomeFigure(String scenario, Measured run, Double ratio, String target, Boolean met) {
        result(scenario, null, ratio, ratio == null ? null : "time for the smaller cohort", target, met);
        Map<String, Object> entry = figures.get(figures.size() - 1);
        entry.put("seconds", round(run.seconds, 1));
        entry.put("peakHeapMb", round(run.peakHeapMb, 0));
    }

    private Measured timeOutcomes(Server server, int year) throws Exception {
        AtomicLong peak = new AtomicLong();
        // A flag, not an interrupt: an interrupt that lands inside the HTTP call is swallowed there.
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(heapUsed(server), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(get(server, "/fhir/$naltrexone-outcomes?start=" + year
                + "-01-01&end=" + year + "-12-31"), HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampling.set(false);
        sampler.join();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("outcomes failed: " + response.statusCode());
        }
        int cohort = 0;
        for (JsonNode group : json.readTree(response.body()).path("group")) {
            if (group.path("code").path("coding").get(0).path("code").asText().equals("retention-30")) {
                cohort = group.path("population").get(0).path("count").asInt();
            }
        }
        return new Measured(seconds, peak.get() / 1024.0 / 1024.0, cohort);
    }

    /** Heap in use, summed over the heap pools, from the server's Prometheus endpoint. */
    private long heapUsed(Server server) {
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

    // --- data -------------------------------------------------------------------------------------------------

    /** Patients on injections with an opioid order and a liver test, for the CDS scenarios. */
    private List<String> seedCdsPatients(Server server, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String id = "bench-" + i;
            Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            Patient patient = new Patient();
            patient.setId(id);
            patient.addName().setFamily("Bench" + i);
            put(tx, patient);
            add(tx, injection(id, now.minus(10 + i % 20, ChronoUnit.DAYS)));
            add(tx, injection(id, now.minus(38 + i % 20, ChronoUnit.DAYS)));
            add(tx, alt(id, now.minus(20, ChronoUnit.DAYS), 30 + i % 200));
            send(server, tx);
            ids.add(id);
        }
        return ids;
    }

    private void seedCohort(Server server, int year, int patients) throws Exception {
        SplittableRandom random = new SplittableRandom(year);
        LocalDate yearStart = LocalDate.of(year, 1, 1);
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int p = 0; p < patients; p++) {
            String id = "cohort-" + year + "-" + p;
            Patient patient = new Patient();
            patient.setId(id);
            put(tx, patient);
            Instant start = yearStart.plusDays(random.nextInt(330)).atStartOfDay().toInstant(ZoneOffset.UTC);
            int injections = 1 + random.nextInt(7);
            Instant when = start;
            for (int k = 0; k < injections; k++) {
                add(tx, injection(id, when));
                when = when.plus(26 + random.nextInt(20), ChronoUnit.DAYS);
            }
            add(tx, alt(id, start.plus(5, ChronoUnit.DAYS), 20 + random.nextInt(150)));
            if (tx.getEntry().size() >= 200) {
                send(server, tx);
                tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            }
        }
        if (!tx.getEntry().isEmpty()) {
            send(server, tx);
        }
    }

    private String ingestBundle(long sequence, boolean profiled) {
        return ingestBundle(sequence, profiled, false);
    }

    /**
     * A patient and four injections. Every bundle has the same shapes (only ids, times and the lot number change),
     * unless {@code newShape}: then each injection's note is unique, which ConformingShapes keeps verbatim, so each
     * resource is validated as if its shape had never been seen.
     */
    private String ingestBundle(long sequence, boolean profiled, boolean newShape) {
        Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String patient = "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(("ingest-" + sequence).getBytes());
        tx.addEntry().setFullUrl(patient).setResource(new Patient()).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        for (int k = 0; k < 4; k++) {
            MedicationAdministration injection = injection("x", Instant.now().minus(28L * k, ChronoUnit.DAYS));
            injection.setSubject(new Reference(patient));
            injection.addPerformer().setActor(new Reference("Practitioner/bench"));
            injection.getDosage().setSite(new CodeableConcept(new Coding("http://snomed.info/sct",
                    k % 2 == 0 ? "723979003" : "723980000", null)));
            injection.addExtension().setUrl("https://ntx.example.org/fhir/StructureDefinition/ntx-lot-number")
                    .setValue(new org.hl7.fhir.r4.model.StringType("LOT-" + sequence));
            injection.addNote().setText(newShape ? "Given in clinic, bundle " + sequence + " dose " + k
                    : "Given in clinic");
            if (profiled) {
                injection.getMeta().addProfile(
                        "https://ntx.example.org/fhir/StructureDefinition/ntx-medicationadministration");
            }
            tx.addEntry().setResource(injection).getRequest().setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("MedicationAdministration");
        }
        return fhirContext.newJsonParser().encodeResourceToString(tx);
    }

    private MedicationAdministration injection(String patientId, Instant when) {
        MedicationAdministration a = new MedicationAdministration();
        a.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        a.setSubject(new Reference("Patient/" + patientId));
        a.setMedication(new CodeableConcept(new Coding(RXNORM, "637213", "naltrexone 380 MG Injection")));
        a.setEffective(new DateTimeType(java.util.Date.from(when)));
        a.getDosage().setRoute(new CodeableConcept(new Coding("http://snomed.info/sct", "78421000", null)));
        a.getDosage().setDose((SimpleQuantity) new SimpleQuantity().setValue(380).setUnit("mg")
                .setSystem("http://unitsofmeasure.org").setCode("mg"));
        return a;
    }

    private Observation alt(String patientId, Instant when, double value) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/" + patientId));
        o.addCategory().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/observation-category",
                "laboratory", null));
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "1742-6", "ALT")));
        o.setEffective(new DateTimeType(java.util.Date.from(when)));
        o.setValue(new Quantity().setValue(value).setSystem("http://unitsofmeasure.org").setCode("U/L"));
        o.addReferenceRange().setHigh((SimpleQuantity) new SimpleQuantity().setValue(40).setCode("U/L"));
        return o;
    }

    private static void put(Bundle tx, Resource resource) {
        tx.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }

    private static void add(Bundle tx, Resource resource) {
        tx.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    }

    private void send(Server server, Bundle tx) throws Exception {
        HttpResponse<String> response = http.send(post(server, "/fhir",
                fhirContext.newJsonParser().encodeResourceToString(tx), "application/fhir+json"),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Seeding failed: " + response.statusCode() + " " + response.body());
        }
    }

    private String orderSign(String patientId) {
        return "{\"hook\":\"order-sign\",\"hookInstance\":\"" + java.util.UUID.randomUUID() + "\",\"context\":{"
                + "\"userId\":\"Practitioner/bench\",\"patientId\":\"" + patientId + "\",\"draftOrders\":"
                + "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":"
                + "\"MedicationRequest\",\"id\":\"d1\",\"status\":\"draft\",\"intent\":\"order\",\"subject\":"
                + "{\"reference\":\"Patient/" + patientId + "\"},\"medicationCodeableConcept\":{\"coding\":[{\"system\":"
                + "\"" + RXNORM + "\",\"code\":\"1049683\"}]}}}]}}}";
    }

    private String patientView(String patientId) {
        return "{\"hook\":\"patient-view\",\"hookInstance\":\"" + java.util.UUID.randomUUID() + "\",\"context\":{"
                + "\"userId\":\"Practitioner/bench\",\"patientId\":\"" + patientId + "\"}}";
    }

    /** An order-sign request carrying the patient's data as prefetch, read once from the server. */
    private String orderSignWithPrefetch(Server server, String patientId) throws Exception {
        ObjectNodeBuilder request = new ObjectNodeBuilder(json.readTree(orderSign(patientId)));
        String[][] keys = {{"medicationRequests", "MedicationRequest"}, {"medicationAdministrations",
                "MedicationAdministration"}, {"medicationDispenses", "MedicationDispense"},
                {"medicationStatements", "MedicationStatement"}, {"conditions", "Condition"}};
        for (String[] key : keys) {
            request.prefetch(key[0], fetch(server, "/fhir/" + key[1] + "?patient=" + patientId));
        }
        request.prefetch("labObservations", fetch(server, "/fhir/Observation?patient=" + patientId
                + "&category=laboratory"));
        return request.toString();
    }

    private JsonNode fetch(Server server, String path) throws Exception {
        return json.readTree(http.send(get(server, path), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static final class ObjectNodeBuilder {
        private final com.fasterxml.jackson.databind.node.ObjectNode root;

        ObjectNodeBuilder(JsonNode root) {
            this.root = (com.fasterxml.jackson.databind.node.ObjectNode) root;
        }

        void prefetch(String key, JsonNode value) {
            com.fasterxml.jackson.databind.node.ObjectNode prefetch = root.has("prefetch")
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) root.get("prefetch") : root.putObject("prefetch");
            prefetch.set(key, value);
        }

        @Override
        public String toString() {
            return root.toString();
        }
    }

    private static HttpRequest get(Server server, String path) {
        return HttpRequest.newBuilder(URI.create(server.base() + path)).header("Accept", "application/json")
                .timeout(Duration.ofMinutes(10)).GET().build();
    }

    private static HttpRequest post(Server server, String path, String body) {
        return post(server, path, body, "application/json");
    }

    private static HttpRequest post(Server server, String path, String body, String type) {
        return HttpRequest.newBuilder(URI.create(server.base() + path)).header("Content-Type", type)
                .header("Accept", "application/json").timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }

    // --- report -----------------------------------------------------------------------------------------------

    private void header() {
        Runtime runtime = Runtime.getRuntime();
        long memoryBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        report.add("# Benchmark results");
        report.add("");
        report.add(String.format(Locale.ROOT, "Run %s%s on %d cores, %.1f GiB memory, Java %s (%s). Loopback only, "
                        + "4 client workers, %s.", Instant.now().truncatedTo(ChronoUnit.SECONDS), quick ? " (quick)" : "",
                runtime.availableProcessors(), memoryBytes / 1024.0 / 1024 / 1024, System.getProperty("java.version"),
                System.getProperty("java.vendor"), quick ? "2 s warm-up + 5 s measured per scenario"
                        : "5 s warm-up + 15 s measured per scenario"));
        report.add("");
    }

    private void table(List<LoadResult> results, LoadResult baseline, int rounds) {
        report.add("");
        report.add("### Throughput and latency (PostgreSQL)");
        report.add("");
        report.add("Each scenario's best of " + rounds + " round(s); ratios are to the baseline's best round ("
                + baseline.scenario() + ").");
        report.add("");
        report.add("| Scenario | req/s | p50 ms | p99 ms | vs GET Patient | errors |");
        report.add("|---|---|---|---|---|---|");
        results.forEach(r -> report.add(r.row(baseline.throughput())));
    }

    private void ratios(List<LoadResult> results, LoadResult baseline) {
        double prefetch = results.get(1).throughput() / baseline.throughput();
        double ownStore = results.get(2).throughput() / baseline.throughput();
        // On the node that has not seen the patients (second node), against the plain read on that node.
        double ownStoreFullRead = results.get(3).throughput() / results.get(10).throughput();
        double ownStoreFullReadAcross = results.get(3).throughput() / baseline.throughput();
        double unvalidated = results.get(9).throughput();
        double ingest = results.get(6).throughput() / unvalidated;
        double ingestNewShapes = results.get(7).throughput() / unvalidated;
        double ingestBefore = results.get(8).throughput() / unvalidated;
        String read = "GET Patient/{id} throughput";
        String plain = "unvalidated ingest throughput";
        result("GET Patient/{id} (baseline)", results.get(0), 1.0, read, null, null);
        result("CDS order-sign, full prefetch", results.get(1), prefetch, read, ">= 1.0x", prefetch >= 1.0);
        result("CDS order-sign, own store, record reused", results.get(2), ownStore, read, ">= 0.5x",
                ownStore >= 0.5);
        result("CDS order-sign, own store, full read every call (second node)", results.get(3), ownStoreFullRead,
                "GET Patient/{id} throughput on the second node", ">= 0.5x", ownStoreFullRead >= 0.5);
        result("GET Patient/{id} (second node; the full read's baseline)", results.get(10),
                results.get(10).throughput() / baseline.throughput(), read, null, null);
        result("CDS patient-view, own store", results.get(4), results.get(4).throughput() / baseline.throughput(),
                read, null, null);
        result("$naltrexone-status", results.get(5), results.get(5).throughput() / baseline.throughput(), read,
                null, null);
        result("Ingest, profiled transaction, validated, shapes seen before", results.get(6), ingest, plain,
                ">= 0.8x", ingest >= 0.8);
        result("Ingest, validated, every resource a new shape", results.get(7), ingestNewShapes, plain, ">= 0.6x",
                ingestNewShapes >= 0.6);
        result("Ingest, validated by HAPI's FhirInstanceValidator (second node; before)", results.get(8),
                ingestBefore, plain, null, null);
        result("Ingest, same transaction, unvalidated", results.get(9), 1.0, plain, null, null);
        report.add("");
        report.add("### Targets");
        report.add("");
        report.add(String.format(Locale.ROOT, "- order-sign with prefetch vs plain read: %.2fx (target >= 1.0x) %s",
                prefetch, prefetch >= 1.0 ? "met" : "NOT met"));
        report.add(String.format(Locale.ROOT, "- order-sign reading its own store vs plain read, record reused: %.2fx"
                + " (target >= 0.5x) %s",
                ownStore, ownStore >= 0.5 ? "met" : "NOT met"));
        report.add(String.format(Locale.ROOT, "  - the same with a full read of the store on every call (first call, or"
                + " after a write to the patient), on a second node that has not seen the patients, against the plain"
                + " read on that node: %.2fx (target >= 0.5x) %s (against the first node's plain read: %.2fx)",
                ownStoreFullRead, ownStoreFullRead >= 0.5 ? "met" : "NOT met", ownStoreFullReadAcross));
        report.add(String.format(Locale.ROOT, "- validated ingest vs unvalidated, shapes seen before: %.2fx"
                + " (target >= 0.8x) %s", ingest, ingest >= 0.8 ? "met" : "NOT met"));
        report.add(String.format(Locale.ROOT, "  - every resource a new shape, so each goes through the HL7 validator:"
                + " %.2fx (target >= 0.6x) %s", ingestNewShapes, ingestNewShapes >= 0.6 ? "met" : "NOT met"));
        report.add(String.format(Locale.ROOT, "  - before, with HAPI's FhirInstanceValidator (second node): %.2fx",
                ingestBefore));
    }

    // --- remote scenarios -----------------------------------------------------------------------------------------

    /**
     * What an EHR feels: the CDS services reading the client's FHIR server (here this same server, behind a loopback
     * proxy that adds 0, 50 or 200 ms per round trip), without prefetch, each as a ratio of its median to that of one
     * plain read through the same proxy; then a FHIR server that accepts connections and never answers.
     */
    private void remote(Server server, List<String> ids, LoadGenerator load) throws Exception {
        report.add("");
        report.add("### Remote FHIR server (fhirServer behind a latency-injecting loopback proxy)");
        report.add("");
        report.add("Ratios are medians: the CDS call's p50 over the p50 of one `GET Patient/{id}` through the same "
                + "proxy, measured in the same run.");
        report.add("");
        report.add("| Round trip | Scenario | req/s | p50 ms | p99 ms | vs one read through the link | errors |");
        report.add("|---|---|---|---|---|---|---|");
        LoadGenerator warmUpPass = new LoadGenerator(4, Duration.ZERO, Duration.ofSeconds(quick ? 2 : 5));
        boolean sameCards = true;
        for (int rtt : List.of(0, 50, 200)) {
            try (LatencyProxy proxy = new LatencyProxy(server.port(), rtt)) {
                String fhirServer = "http://127.0.0.1:" + proxy.port() + "/fhir";
                Map<String, IntFunction<HttpRequest>> scenarios = new LinkedHashMap<>();
                scenarios.put("read", i -> HttpRequest.newBuilder(URI.create(fhirServer + "/Patient/"
                        + ids.get(i % ids.size()))).header("Accept", "application/fhir+json")
                        .timeout(Duration.ofMinutes(1)).GET().build());
                scenarios.put("order-sign", i -> post(server, "/cds-services/naltrexone-order-sign",
                        withFhirServer(orderSign(ids.get(i % ids.size())), fhirServer)));
                scenarios.put("patient-view", i -> post(server, "/cds-services/naltrexone-patient-view",
                        withFhirServer(patientView(ids.get(i % ids.size())), fhirServer)));
                for (IntFunction<HttpRequest> calls : scenarios.values()) {
                    warmUpPass.run("warm-up", calls);
                }
                Map<String, LoadResult> measured = new LinkedHashMap<>();
                for (Map.Entry<String, IntFunction<HttpRequest>> scenario : scenarios.entrySet()) {
                    measured.put(scenario.getKey(), load.run(scenario.getKey(), scenario.getValue()));
                }
                sameCards &= sameCards(server, ids, fhirServer);
                LoadResult read = measured.get("read");
                String link = rtt + " ms";
                for (Map.Entry<String, LoadResult> entry : measured.entrySet()) {
                    LoadResult r = entry.getValue();
                    double ratio = r.percentileMillis(50) / read.percentileMillis(50);
                    String name = switch (entry.getKey()) {
                        case "read" -> "GET Patient/{id} through the link";
                        case "order-sign" -> "CDS order-sign, no prefetch, fhirServer through the link";
                        default -> "CDS patient-view, no prefetch, fhirServer through the link";
                    };
                    String target = null;
                    Boolean met = null;
                    if (entry.getKey().equals("order-sign")) {
                        if (rtt == 0) {
                            target = "p50 <= 40 ms";
                            met = r.percentileMillis(50) <= 40;
                        } else {
                            double goal = rtt == 50 ? 2.0 : 1.6;
                            target = String.format(Locale.ROOT, "<= %.1fx", goal);
                            met = ratio <= goal;
                        }
                    }
                    result(name + " (" + link + " round trip)", r, ratio, "p50 of one read through the link", target,
                            met);
                    report.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.2fx%s | %d |", link,
                            name, r.throughput(), r.percentileMillis(50), r.percentileMillis(99), ratio,
                            target == null ? "" : " (target " + target + ", " + (met ? "met" : "NOT met") + ")",
                            r.errors()));
                }
            }
        }
        report.add("");
        report.add("- Cards from the fhirServer read the same as from the own store, for " + Math.min(ids.size(), 10)
                + " patients at each round trip: " + (sameCards ? "yes" : "NO"));
        result("Cards from a fhirServer identical to the own store's", null, null, null, "identical", sameCards);
        stalled(server, ids);
    }

    /** Sequential order-sign calls naming a FHIR server that never answers: the time to an answer. */
    private void stalled(Server server, List<String> ids) throws Exception {
        double budget = 3.0;
        List<Long> micros = new ArrayList<>();
        boolean warned = true;
        try (StalledServer stalled = new StalledServer()) {
            String fhirServer = "http://127.0.0.1:" + stalled.port() + "/fhir";
            for (int i = 0; i < (quick ? 3 : 6); i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(post(server, "/cds-services/naltrexone-order-sign",
                        withFhirServer(orderSign(ids.get(i % ids.size())), fhirServer)),
                        HttpResponse.BodyHandlers.ofString());
                micros.add((System.nanoTime() - t0) / 1000);
                warned &= response.statusCode() == 200 && response.body().contains("data-unavailable");
            }
        }
        LoadResult result = new LoadResult("stalled", micros.size(), 0,
                micros.stream().mapToLong(Long::longValue).sum() / 1e6,
                micros.stream().mapToLong(Long::longValue).toArray());
        double worst = micros.stream().mapToLong(Long::longValue).max().orElseThrow() / 1e6;
        boolean met = worst <= budget + 0.5 && warned;
        result("CDS order-sign, fhirServer stalled (accepts, never answers): time to answer", result, null, null,
                "<= budget + 0.5 s = 3.5 s, with a data-unavailable card", met);
        report.add(String.format(Locale.ROOT, "- Stalled fhirServer (accepts, never answers): answered in %.2f s"
                + " median, %.2f s worst of %d calls, each with a data-unavailable card: %s (target <= %.1f s) %s",
                result.percentileMillis(50) / 1000, worst, micros.size(), warned ? "yes" : "NO", budget + 0.5,
                met ? "met" : "NOT met"));
    }

    /** The same cards (topic, indicator and summary) from the own store and from the fhirServer, patient by patient. */
    private boolean sameCards(Server server, List<String> ids, String fhirServer) throws Exception {
        for (String id : ids.subList(0, Math.min(ids.size(), 10))) {
            String own = http.send(post(server, "/cds-services/naltrexone-order-sign", orderSign(id)),
                    HttpResponse.BodyHandlers.ofString()).body();
            String remote = http.send(post(server, "/cds-services/naltrexone-order-sign",
                    withFhirServer(orderSign(id), fhirServer)), HttpResponse.BodyHandlers.ofString()).body();
            if (!cards(own).equals(cards(remote))) {
                report.add("- Cards differ for " + id + ": own store " + cards(own) + ", fhirServer " + cards(remote));
                return false;
            }
        }
        return true;
    }

    private List<String> cards(String response) throws IOException {
        List<String> cards = new ArrayList<>();
        for (JsonNode card : json.readTree(response).path("cards")) {
            cards.add(card.path("indicator").asText() + " " + card.path("summary").asText());
        }
        cards.sort(Comparator.naturalOrder());
        return cards;
    }

    private String withFhirServer(String request, String fhirServer) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode root =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(request);
            root.put("fhirServer", fhirServer);
            return root.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), e.g. {@code "1.05 2.00 3.39"}; empty where unknown. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void write() throws IOException {
        String loadAtEnd = loadAverage();
        figures.forEach(entry -> entry.put("loadAverage", "start " + loadAtStart + ", end " + loadAtEnd));
        report.add(3, "");
        report.add(4, String.format(Locale.ROOT, "Load average (1, 5, 15 min) on this shared %d-core host: %s at the"
                + " start, %s at the end.", Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd));
        // The profiling findings and each fix's before/after, kept by hand, travel with every results file.
        Path profiling = Path.of("bench", "profiling.md");
        if (Files.exists(profiling)) {
            report.add("");
            report.addAll(Files.readAllLines(profiling));
        }
        Path out = Path.of("bench", quick ? "results-quick.md" : "results.md");
        Files.writeString(out, String.join("\n", report) + "\n");
        Path figuresFile = Path.of("bench", quick ? "results-quick.json" : "results.json");
        List<Object> written = new ArrayList<>(figures);
        if (!quick) {
            // The research-at-scale figures (bench/research.sh, runs of an hour and more) are kept in their own file
            // and carried into every results.json, so results.json holds every figure the README reports.
            written.addAll(ResearchAtScale.recordedFigures());
        }
        Files.writeString(figuresFile, json.writerWithDefaultPrettyPrinter().writeValueAsString(written) + "\n");
        System.out.println(String.join("\n", report));
        System.out.println("Written to " + out);
    }

    /** The packaged server in its own JVM on a free loopback port. */
    static final class Server implements AutoCloseable {
        private final Process process;
        private final int port;
        private final double startupSeconds;
        private final long launchedAt;

        private Server(Process process, int port, double startupSeconds, long launchedAt) {
            this.process = process;
            this.port = port;
            this.startupSeconds = startupSeconds;
            this.launchedAt = launchedAt;
        }

        /**
         * Seconds from launch until our server is ready: {@code /actuator/health/readiness} UP, or, on builds before
         * readiness existed, the "ready" log line (written once the package install finished).
         */
        double awaitReady() throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            Path log = Path.of("target", "bench-server-" + port + ".log");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base()
                        + "/actuator/health/readiness")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return (System.nanoTime() - launchedAt) / 1e9;
                }
                if (r.statusCode() == 404 && Files.readString(log).contains("Naltrexone FHIR Service ready")) {
                    return (System.nanoTime() - launchedAt) / 1e9;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("Server was not ready within 5 minutes");
        }

        /** Resident set size of the server's JVM, from /proc (Linux). */
        long rssBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            throw new IllegalStateException("No VmRSS for the server process");
        }

        static Server start(Path jar, List<String> jvmOptions, List<String> arguments) throws Exception {
            return launch(jvmOptions, List.of("-jar", jar.toString()), arguments);
        }

        /** {@code launch}: how java finds the program, e.g. {@code -jar x.jar} or {@code -cp ... MainClass}. */
        static Server launch(List<String> jvmOptions, List<String> launch, List<String> arguments) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of("java", "-Xmx4g"));
            command.addAll(jvmOptions);
            command.addAll(launch);
            command.addAll(List.of("--server.address=127.0.0.1", "--server.port=" + port));
            command.addAll(arguments);
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "bench-server-" + port + ".log").toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/fhir/metadata")).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return new Server(process, port, (System.nanoTime() - t0) / 1e9, t0);
                    }
                } catch (IOException e) {
                    // not up yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("Server exited; see target/bench-server-" + port + ".log");
                }
                Thread.sleep(250);
            }
            process.destroyForcibly();
            throw new IllegalStateException("Server did not start within 5 minutes");
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        int port() {
            return port;
        }

        double startupSeconds() {
            return startupSeconds;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
