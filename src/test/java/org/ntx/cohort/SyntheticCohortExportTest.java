package org.ntx.cohort;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The synthetic cohort as a FHIR Bulk Data export (ndjson per resource type, subjects as {@code Patient/<id>}), the
 * input of the analytics job's end-to-end test. The cohort has one source of truth, {@link SyntheticCohort}; the
 * analytics build (a separate project on Java 21+) cannot call it, so the export is committed under
 * {@code analytics/src/test/resources/synthetic-export/} and this test fails when it no longer matches what the
 * cohort writes. Regenerate it with {@code mvn test -Dtest=SyntheticCohortExportTest -Dntx.regenerate-export=true}.
 *
 * <p>Each resource's id is its bundle entry's UUID, and every {@code urn:uuid:} reference becomes {@code Type/id}, as
 * the server's {@code $export} writes them after a transaction has assigned ids.
 */
class SyntheticCohortExportTest {

    static final Path EXPORT = Path.of("analytics/src/test/resources/synthetic-export");
    static final long SEED = 42;
    static final int PATIENTS = 120;
    static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");

    final IParser json = FhirContext.forR4().newJsonParser().setPrettyPrint(false);

    @Test
    void theCommittedAnalyticsExportIsWhatTheCohortWrites() throws IOException {
        Map<String, String> expected = export(new SyntheticCohort(SEED, AS_OF), PATIENTS);
        if (Boolean.getBoolean("ntx.regenerate-export")) {
            Files.createDirectories(EXPORT);
            try (Stream<Path> old = Files.list(EXPORT)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            for (Map.Entry<String, String> file : expected.entrySet()) {
                Files.writeString(EXPORT.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
            }
        }
        Map<String, String> committed = new TreeMap<>();
        try (Stream<Path> files = Files.list(EXPORT)) {
            for (Path file : files.toList()) {
                committed.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertThat(committed.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String file : expected.keySet()) {
            assertThat(committed.get(file))
                    .as("%s differs from SyntheticCohort(seed %d, %d patients, as of %s); regenerate with "
                            + "-Dntx.regenerate-export=true", file, SEED, PATIENTS, AS_OF)
                    .isEqualTo(expected.get(file));
        }
    }

    @Test
    void everyReferenceNamesAResourceOfTheExport() {
        Map<String, String> files = export(new SyntheticCohort(SEED, AS_OF), 5);
        String all = String.join("", files.values());
        assertThat(all).doesNotContain("urn:uuid:");
        assertThat(files.get("MedicationAdministration.ndjson")).contains("\"subject\":{\"reference\":\"Patient/");
    }

    /** File name to ndjson text, resource types in name order. */
    Map<String, String> export(SyntheticCohort cohort, int patients) {
        Map<String, StringBuilder> byType = new TreeMap<>();
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
                List<Reference> references = FhirContext.forR4Cached().newTerser()
                        .getAllPopulatedChildElementsOfType(resource, Reference.class);
                for (Reference reference : references) {
                    if (reference.hasReference() && ids.containsKey(reference.getReference())) {
                        reference.setReference(ids.get(reference.getReference()));
                    }
                }
                byType.computeIfAbsent(resource.fhirType() + ".ndjson", t -> new StringBuilder())
                        .append(json.encodeResourceToString(resource)).append('\n');
            }
        }
        Map<String, String> files = new TreeMap<>();
        byType.forEach((name, text) -> files.put(name, text.toString()));
        return files;
    }
}
