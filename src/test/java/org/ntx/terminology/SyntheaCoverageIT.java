package org.ntx.terminology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ntx.support.Synthea;
import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Terminology coverage against Synthea 3.3.0 (org.mitre.synthea:synthea on Maven Central), run as its own process so
 * its HAPI FHIR version never reaches our classpath: the test resolves {@code src/test/synthea/pom.xml} with Maven,
 * reads every RxNorm medication code in Synthea's modules (what any Synthea population can contain, its opioid and OUD
 * module {@code prescribing_opioids_for_chronic_pain_and_treatment_of_oud} included), generates a small population
 * with a fixed seed and reads every medication code it holds, and classifies each code by its codes alone. No opioid,
 * buprenorphine, methadone or naltrexone product may come out {@code OTHER}. The report, every code with its class,
 * is written to {@code target/synthea-coverage.md}.
 *
 * <p>Bounded for CI: 40 patients, about a minute on two cores (REFERENCE.md §9 measured 120 s for 200). Whether a code
 * "is" an opioid or naltrexone product is decided independently of our value sets, from the ingredient names in
 * Synthea's own display text.
 */
class SyntheaCoverageIT {

    static final Path WORK = Synthea.WORK;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern OPIOID_OR_BLOCKER = Pattern.compile("(?i)\\b(naltrexone|samidorphan|buprenorphine|methadone"
            + "|morphine|codeine|hydrocodone|oxycodone|hydromorphone|oxymorphone|fentanyl|sufentanil|alfentanil"
            + "|remifentanil|meperidine|tramadol|tapentadol|levorphanol|opium|butorphanol|nalbuphine|pentazocine"
            + "|percocet|oxycontin)\\b");
    static final int PATIENTS = 40;

    final MedicationClassifier medications = Terminology.fromClasspath().medications();

    @Test
    void everyOpioidBuprenorphineMethadoneAndNaltrexoneProductInSyntheaIsClassified() throws Exception {
        Files.createDirectories(WORK);
        String classpath = Synthea.classpath();

        Map<String, Medication> codes = new TreeMap<>();
        String jar = Synthea.jar(classpath);
        try (ZipFile zip = new ZipFile(jar)) {
            for (ZipEntry entry : zip.stream().toList()) {
                if (entry.getName().startsWith("modules/") && entry.getName().endsWith(".json")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        collectModuleCodes(JSON.readTree(in), entry.getName(), codes);
                    }
                }
            }
        }
        int fromModules = codes.size();
        Path fhir = Synthea.population("12345", PATIENTS, "20250101");
        int generatedBundles = 0;
        try (Stream<Path> files = Files.walk(fhir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                generatedBundles++;
                collectGeneratedCodes(JSON.readTree(file.toFile()), codes);
            }
        }
        assertThat(generatedBundles).as("Synthea wrote patient bundles").isPositive();

        List<String> missed = new ArrayList<>();
        StringBuilder report = new StringBuilder("# Synthea 3.3.0 medication codes and their class\n\n")
                .append("Seed 12345, ").append(PATIENTS).append(" patients, reference date 2025-01-01; ")
                .append(fromModules).append(" RxNorm codes in the modules, ").append(generatedBundles)
                .append(" generated bundles. Classified by code alone.\n\n")
                .append("| RxNorm | Display | Seen in | Opioid or blocker by name | Class |\n|---|---|---|---|---|\n");
        for (Medication medication : codes.values()) {
            DrugClass drugClass = medications.classify(List.of(Code.rxnorm(medication.code())), Optional.empty());
            boolean relevant = OPIOID_OR_BLOCKER.matcher(medication.display()).find();
            report.append("| ").append(medication.code()).append(" | ").append(medication.display()).append(" | ")
                    .append(medication.generated() ? "generated; " : "").append(medication.where()).append(" | ")
                    .append(relevant ? "yes" : "").append(" | ").append(drugClass).append(" |\n");
            if (relevant && (drugClass == DrugClass.OTHER || drugClass == DrugClass.UNCLASSIFIED)) {
                missed.add(medication.code() + " " + medication.display());
            }
        }
        Files.writeString(Path.of("target", "synthea-coverage.md"), report.toString());
        assertThat(missed).as("opioid, buprenorphine, methadone or naltrexone products classified OTHER"
                + " (see target/synthea-coverage.md)").isEmpty();
    }

    record Medication(String code, String display, String where, boolean generated) {}

    private static void collectModuleCodes(JsonNode node, String module, Map<String, Medication> codes) {
        if (node.isObject()) {
            if ("RxNorm".equalsIgnoreCase(node.path("system").asText()) && node.hasNonNull("code")) {
                String code = node.get("code").asText();
                codes.putIfAbsent(code, new Medication(code, node.path("display").asText(),
                        module.replace("modules/", ""), false));
            }
            node.elements().forEachRemaining(child -> collectModuleCodes(child, module, codes));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectModuleCodes(child, module, codes));
        }
    }

    private static void collectGeneratedCodes(JsonNode node, Map<String, Medication> codes) {
        if (node.isObject()) {
            if (node.path("system").asText().equals(Code.RXNORM) && node.hasNonNull("code")) {
                String code = node.get("code").asText();
                Medication known = codes.get(code);
                codes.put(code, new Medication(code, node.path("display").asText(known == null ? "" : known.display()),
                        known == null ? "" : known.where(), true));
            }
            node.elements().forEachRemaining(child -> collectGeneratedCodes(child, codes));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectGeneratedCodes(child, codes));
        }
    }
}
