package org.ntx.server;

import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Metric tag values never name a Java class; everything else is left as it is. */
class MetricTagsTest {

    @Test
    void replacesClassNamesOnly() {
        assertThat(MetricTags.withoutClassName(Tag.of("exception", "IllegalArgumentException")).getValue())
                .isEqualTo("error");
        assertThat(MetricTags.withoutClassName(Tag.of("error", "AccessDeniedException")).getValue()).isEqualTo("error");
        assertThat(MetricTags.withoutClassName(Tag.of("authentication_request_type", "BearerTokenAuthenticationToken"))
                .getValue()).isEqualTo("other");
        assertThat(MetricTags.withoutClassName(Tag.of("main_application_class", "org.ntx.Application")).getValue())
                .isEqualTo("other");
        for (String kept : new String[] {"none", "SUCCESS", "CLIENT_ERROR", "GET", "/fhir/**", "G1 Eden Space",
                "naltrexone-fhir-service", "n/a", "200"}) {
            assertThat(MetricTags.withoutClassName(Tag.of("any", kept)).getValue()).isEqualTo(kept);
        }
    }
}
