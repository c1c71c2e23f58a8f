package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package publishes every StructureDefinition with its snapshot, as packages made by the IG Publisher do, so that
 * neither the server's package install nor any other consumer has to generate it (generating them at start-up took
 * about 8 s of the server's start). The snapshot is derived data: this test generates it again from the differential
 * with HAPI and fails when the published one differs, so a changed differential cannot ship a stale snapshot.
 *
 * <p>After changing a differential, write the new snapshots into {@code fhir-profiles/} with
 * {@code ./mvnw test -Dtest=PublishedSnapshotsTest -Dntx.write-snapshots=true}, then review and commit them.
 */
class PublishedSnapshotsTest {

    private static final Path PACKAGE = Path.of("fhir-profiles");
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyProfileShipsTheSnapshotItsDifferentialGenerates() throws IOException {
        List<Path> files = structureDefinitions();
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        ValidationSupportChain chain = chain(files);
        boolean write = Boolean.getBoolean("ntx.write-snapshots");
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String published = Files.readString(file);
            String expected = withSnapshot(published, generate(chain, published));
            if (write) {
                Files.writeString(file, expected);
            }
            assertThat(JSON.readTree(published).has("snapshot")).as("%s carries a snapshot", file).isTrue();
            assertThat(JSON.readTree(published)).as("%s: the published snapshot is what its differential generates;"
                    + " regenerate with -Dntx.write-snapshots=true", file).isEqualTo(JSON.readTree(expected));
        }));
    }

    private static List<Path> structureDefinitions() throws IOException {
        try (Stream<Path> files = Files.list(PACKAGE)) {
            return files.filter(f -> f.getFileName().toString().startsWith("StructureDefinition-")).sorted().toList();
        }
    }

    /** The R4 core definitions and our own, differentials only, so one profile's snapshot never feeds another's. */
    private static ValidationSupportChain chain(List<Path> files) throws IOException {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(FHIR);
        for (Path file : files) {
            ours.addStructureDefinition(differentialOnly(Files.readString(file)));
        }
        return new ValidationSupportChain(ours, new DefaultProfileValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));
    }

    private static StructureDefinition differentialOnly(String json) {
        StructureDefinition definition = FHIR.newJsonParser().parseResource(StructureDefinition.class, json);
        definition.setSnapshot(null);
        return definition;
    }

    private static String generate(ValidationSupportChain chain, String published) {
        StructureDefinition differential = differentialOnly(published);
        StructureDefinition generated = (StructureDefinition) chain.generateSnapshot(
                new ValidationSupportContext(chain), differential, differential.getUrl(), null, differential.getName());
        assertThat(generated.getSnapshot().getElement()).as("a snapshot for %s", differential.getUrl()).isNotEmpty();
        return FHIR.newJsonParser().encodeResourceToString(new StructureDefinition().setSnapshot(generated.getSnapshot()));
    }

    /** The published file with its snapshot replaced, every other member and its order as written. */
    private static String withSnapshot(String published, String generatedSnapshotHolder) throws IOException {
        ObjectNode file = (ObjectNode) JSON.readTree(published);
        ObjectNode holder = (ObjectNode) JSON.readTree(generatedSnapshotHolder);
        List<String> names = new ArrayList<>();
        file.fieldNames().forEachRemaining(names::add);
        ObjectNode result = JSON.createObjectNode();
        for (String name : names) {
            if (name.equals("snapshot")) {
                continue;
            }
            if (name.equals("differential")) {
                result.set("snapshot", holder.get("snapshot"));
            }
            result.set(name, file.get(name));
        }
        // As the files are written: two-space indent, one element per line, "name": value.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer(printer).writeValueAsString(result) + "\n";
    }
}
