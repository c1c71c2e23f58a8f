package org.ntx.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Synthea 3.3.0 (org.mitre.synthea:synthea on Maven Central) for tests, run as its own process so its HAPI FHIR version
 * never reaches our classpath: Maven resolves {@code src/test/synthea/pom.xml}, and Synthea writes one FHIR transaction
 * Bundle per patient. A population is generated once per build and shared by the tests that ask for the same one
 * (same seed, size and reference date): generating costs about a minute and several GB on two cores.
 */
public final class Synthea {

    /** Where the tests' Synthea runs live. */
    public static final Path WORK = Path.of("target", "synthea");

    private Synthea() {}

    /**
     * The {@code fhir/} folder of a population (Massachusetts), generated now unless this build already did.
     *
     * @param seed      Synthea's {@code -s} and {@code -cs}
     * @param patients  living patients to generate ({@code -p})
     * @param reference the reference and end date, {@code yyyyMMdd}
     */
    public static synchronized Path population(String seed, int patients, String reference)
            throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Path output = WORK.resolve("output").toAbsolutePath();
        String arguments = seed + " " + patients + " " + reference;
        Path marker = output.resolve("generated-with.txt");
        if (Files.exists(marker) && Files.readString(marker).equals(arguments)) {
            return output.resolve("fhir");
        }
        if (Files.exists(output)) {
            try (Stream<Path> old = Files.walk(output)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx3g", "-cp", classpath(), "App",
                "-s", seed, "-cs", seed, "-r", reference, "-e", reference, "-p", String.valueOf(patients),
                "--exporter.baseDirectory=" + output,
                "--exporter.fhir.export=true", "--exporter.hospital.fhir.export=false",
                "--exporter.practitioner.fhir.export=false", "--exporter.csv.export=false",
                "--exporter.text.export=false", "--exporter.ccda.export=false",
                "--generate.append_numbers_to_person_names=false", "Massachusetts");
        int exit = run(command, WORK.resolve("synthea.log"), 8);
        if (exit != 0) {
            throw new IllegalStateException("Synthea exited with " + exit + ", see " + WORK.resolve("synthea.log"));
        }
        Files.writeString(marker, arguments);
        return output.resolve("fhir");
    }

    /** Synthea's classpath from Maven (offline first, as the build runs; online once to fill the local repository). */
    public static String classpath() throws IOException, InterruptedException {
        Path file = WORK.resolve("classpath.txt").toAbsolutePath();
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(WORK);
        for (boolean offline : new boolean[] {true, false}) {
            List<String> command = new ArrayList<>(List.of(maven(), "-B", "-q"));
            if (offline) {
                command.add("-o");
            }
            command.addAll(List.of("-f", Path.of("src", "test", "synthea", "pom.xml").toString(),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + file));
            if (run(command, WORK.resolve("maven.log"), 5) == 0 && Files.exists(file)) {
                return Files.readString(file).trim();
            }
        }
        throw new IllegalStateException("Could not resolve Synthea's classpath, see " + WORK.resolve("maven.log"));
    }

    /** The Synthea jar on that classpath (its modules are read from it). */
    public static String jar(String classpath) {
        return Stream.of(classpath.split(File.pathSeparator))
                .filter(entry -> entry.matches(".*synthea-3\\.3\\.0\\.jar$")).findFirst().orElseThrow();
    }

    private static int run(List<String> command, Path log, int minutes) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in " + minutes + " minutes");
        }
        return process.exitValue();
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        return "mvn";
    }
}
