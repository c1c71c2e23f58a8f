package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A FHIR JSON primitive written with another JSON type than the format gives it is named, wherever it is. */
class JsonPrimitiveTypesTest {

    final JsonPrimitiveTypes types = new JsonPrimitiveTypes(FhirContext.forR4Cached());
    final ObjectMapper json = new ObjectMapper();

    @Test
    void namesNumbersBooleansAndStringsOfTheWrongJsonType() throws Exception {
        assertThat(problem("{\"resourceType\":\"Observation\",\"valueQuantity\":{\"value\":\"5\"}}"))
                .contains("Observation.valueQuantity.value");
        assertThat(problem("{\"resourceType\":\"Patient\",\"active\":\"true\"}")).contains("Patient.active");
        assertThat(problem("{\"resourceType\":\"Patient\",\"birthDate\":19800101}")).contains("birthDate");
        assertThat(problem("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"a\",1]}]}")).contains("given");
        assertThat(problem("{\"resourceType\":\"Observation\",\"extension\":[{\"url\":\"x\",\"valueInteger\":\"1\"}]}"))
                .contains("valueInteger");
        assertThat(problem("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Patient\",\"active\":1}}]}")).contains("Patient.active");
        assertThat(problem("{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":\"Patient\","
                + "\"active\":\"no\"}]}")).contains("Patient.active");
    }

    @Test
    void acceptsResourcesWrittenAsTheFormatSays() throws Exception {
        assertThat(problem("{\"resourceType\":\"Observation\",\"status\":\"final\",\"valueQuantity\":{\"value\":5.10},"
                + "\"_status\":{\"extension\":[{\"url\":\"x\",\"valueBoolean\":true}]},\"component\":[{\"valueInteger\":3}]}"))
                .isNull();
        assertThat(problem("{\"resourceType\":\"Patient\",\"active\":true,\"multipleBirthInteger\":2}")).isNull();
    }

    private String problem(String resource) throws Exception {
        return types.problem(json.readTree(resource)).orElse(null);
    }
}
