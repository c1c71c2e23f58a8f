package org.ntx.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL-on-FHIR ViewDefinitions shipped for distributed engines: every FHIRPath in them compiles, and their filters
 * pick the right rows from the package's examples (HAPI's FHIRPath engine stands in for the engine; the
 * SQL-on-FHIR key functions getResourceKey/getReferenceKey are engine-specific and skipped).
 */
class ViewDefinitionsTest {

    static final Path VIEWS = Path.of("fhir-profiles/views");

    final FhirContext fhirContext = FhirContext.forR4();
    final IFhirPath fhirPath = fhirContext.newFhirPath();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void everyPathCompiles() throws Exception {
        try (Stream<Path> files = Files.list(VIEWS)) {
            for (Path file : files.toList()) {
                JsonNode view = json.readTree(file.toFile());
                assertThat(view.get("resourceType").asText()).isEqualTo("ViewDefinition");
                for (JsonNode where : view.path("where")) {
                    fhirPath.parse(where.get("path").asText());
                }
                for (JsonNode column : view.path("select").get(0).path("column")) {
                    String path = column.get("path").asText();
                    if (!path.contains("getResourceKey") && !path.contains("getReferenceKey")) {
                        fhirPath.parse(path);
                    }
                }
            }
        }
    }

    @Test
    void naltrexoneAdministrationsKeepsTheInjectionExample() throws IOException {
        Resource injection = example("MedicationAdministration-ntx-ma-injection.json");
        assertThat(matches("naltrexone_administrations", injection)).isTrue();
        assertThat(matches("overdose_events", injection)).isFalse();
    }

    @Test
    void liverResultsKeepsAltAndDropsThePanel() throws IOException {
        assertThat(matches("liver_results", example("Observation-ntx-lft-alt.json"))).isTrue();
        assertThat(matches("liver_results", example("Observation-ntx-lft-panel.json"))).isFalse();
    }

    private boolean matches(String viewName, Resource resource) throws IOException {
        JsonNode view = json.readTree(VIEWS.resolve(viewName + ".json").toFile());
        if (!view.get("resource").asText().equals(resource.fhirType())) {
            return false;
        }
        for (JsonNode where : view.path("where")) {
            List<IBase> result = fhirPath.evaluate(resource, where.get("path").asText(), IBase.class);
            if (result.isEmpty() || !(result.get(0) instanceof BooleanType b) || !b.booleanValue()) {
                return false;
            }
        }
        return true;
    }

    private Resource example(String file) throws IOException {
        return (Resource) fhirContext.newJsonParser()
                .parseResource(Files.readString(Path.of("fhir-profiles/example").resolve(file)));
    }
}
