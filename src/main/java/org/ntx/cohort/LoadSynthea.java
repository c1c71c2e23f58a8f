package org.ntx.cohort;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code ./mvnw -q exec:java -Dexec.mainClass=org.ntx.cohort.LoadSynthea -Dexec.args="--dir output/fhir"}: loads a
 * Synthea output folder into a running server (default http://127.0.0.1:8080/fhir), hospitals and practitioners
 * first, with a progress line per file and a summary of what was loaded and what was refused and why. Exits 1 when
 * any file was refused.
 */
public final class LoadSynthea {

    private LoadSynthea() {}

    public static void main(String[] args) {
        String base = "http://127.0.0.1:8080/fhir";
        Path dir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--base" -> base = args[i + 1];
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i] + " (use --dir, --base)");
            }
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir must name a Synthea output folder (output/fhir)");
        }
        System.err.printf("Loading the Synthea bundles in %s into %s%n", dir, base);
        SyntheaLoader.Report report = new SyntheaLoader(base, System.err).load(dir);
        if (!report.refused().isEmpty()) {
            System.exit(1);
        }
    }
}
