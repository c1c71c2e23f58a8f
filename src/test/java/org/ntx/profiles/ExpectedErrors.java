package org.ntx.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What each invalid example must fail with, as recorded in {@code fhir-profiles/invalid/expected-errors.json}:
 * {@code {"<file name>": "<text the validator's message must contain>"}}.
 */
record ExpectedErrors(JsonNode byFile) {

    static ExpectedErrors load(Path invalidDir) throws IOException {
        return new ExpectedErrors(new ObjectMapper().readTree(invalidDir.resolve("expected-errors.json").toFile()));
    }

    boolean covers(Path file) {
        return byFile.hasNonNull(file.getFileName().toString());
    }

    String messageFor(Path file) {
        JsonNode expected = byFile.get(file.getFileName().toString());
        if (expected == null) {
            throw new AssertionError(file + " has no recorded expected error in expected-errors.json");
        }
        return expected.asText();
    }
}
