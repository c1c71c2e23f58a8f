package org.ntx.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client reads in a refusal says what was wrong, never which Java class said so. */
class ErrorMessagesTest {

    @Test
    void cutsClassNamesAndKeepsTheMessage() {
        assertThat(ErrorMessages.clean("HAPI-1821: [element=\"value\"] Invalid attribute value \"5e\":"
                + " java.lang.NumberFormatException: Character e is neither a decimal digit"))
                .isEqualTo("HAPI-1821: [element=\"value\"] Invalid attribute value \"5e\": Character e is neither a"
                        + " decimal digit");
        assertThat(ErrorMessages.clean("HAPI-1272: Could not resolve type id 'bogus' as a subtype of"
                + " `com.github.fge.jsonpatch.JsonPatchOperation`: known type ids = [add]"))
                .doesNotContain("com.github").doesNotContain("JsonPatchOperation").contains("bogus");
        assertThat(ErrorMessages.clean("DataFormatException: Unknown element 'valu' found during parse"))
                .isEqualTo("Unknown element 'valu' found during parse");
        assertThat(ErrorMessages.clean("The number 1e400 is out of range")).isEqualTo("The number 1e400 is out of range");
        assertThat(ErrorMessages.clean("Use ntx.limits.max-sort-keys")).isEqualTo("Use ntx.limits.max-sort-keys");
    }
}
