package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntx.terminology.Terminology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract tests: recorded CDS Hooks requests (src/test/resources/golden/*.request.json, everything prefetched, as
 * of 2026-11-23T12:00Z) must produce exactly the recorded responses (*.response.json), compared as JSON with card and
 * suggestion uuids ignored. A change in what a clinician sees shows up here as a diff to review.
 *
 * <p>To record a new story, add its request and run the test once: it writes the response next to it and fails so
 * that someone reads the response before committing it.
 */
class CdsGoldenTest {

    static final Instant AS_OF = Instant.parse("2026-11-23T12:00:00Z");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    final FhirContext fhirContext = FhirContext.forR4();
    final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    final CdsHooksController controller = controller();

    @ParameterizedTest
    @ValueSource(strings = {
            "order-sign-opioid-nine-days-after-injection",
            "order-sign-injection-three-days-after-oxycodone",
            "order-sign-naltrexone-with-alt-six-times-uln",
            "order-sign-ibuprofen-during-blockade",
            "patient-view-injection-overdue"})
    void respondsAsRecorded(String story) throws IOException {
        JsonNode request = json.readTree(GOLDEN.resolve(story + ".request.json").toFile());
        String serviceId = "naltrexone-" + request.get("hook").asText();

        JsonNode actual = withoutUuids(json.readTree(controller.call(serviceId, "application/json", request.toString(), null)));

        Path expectedFile = GOLDEN.resolve(story + ".response.json");
        if (!Files.exists(expectedFile)) {
            json.writeValue(expectedFile.toFile(), actual);
            throw new AssertionError("Recorded " + expectedFile + ": review it, then run the test again");
        }
        assertThat(actual).isEqualTo(withoutUuids(json.readTree(expectedFile.toFile())));
    }

    /** The real pipeline without Spring: prefetch only, a fixed clock, and a throwaway in-memory card log. */
    private CdsHooksController controller() {
        return new CdsPipeline(fhirContext, Terminology.fromClasspath(), AS_OF, CdsProperties.defaults(), false)
                .controller;
    }

    private static JsonNode withoutUuids(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("uuid")) {
                object.put("uuid", "<uuid>");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                withoutUuids(fields.next().getValue());
            }
        } else if (node.isArray()) {
            node.forEach(CdsGoldenTest::withoutUuids);
        }
        return node;
    }
}
