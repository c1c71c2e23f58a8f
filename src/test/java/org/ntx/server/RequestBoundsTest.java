package org.ntx.server;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Searches that would cost far more than they look, or that HAPI answered with 500, are refused up front. */
class RequestBoundsTest {

    final RequestBounds bounds = new RequestBounds(new LimitProperties(DataSize.ofMegabytes(10), DataSize.ofMegabytes(128), 3, 5, 1000, 100, 100));

    @Test
    void refusesRepeatedEmptyOrTooManySortKeys() {
        assertThat(bounds.problems(Map.of("_sort", new String[] {"name,name"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_sort", new String[] {"name,-name"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_sort", new String[] {"name", "name"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_sort", new String[] {"a,b,c,d"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_sort", new String[] {"a,,b"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_sort", new String[] {"-birthdate,name,_id"}), null)).isEmpty();
    }

    @Test
    void refusesWildcardAndTooManyIncludes() {
        assertThat(bounds.problems(Map.of("_include", new String[] {"*"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_revinclude:iterate", new String[] {"Observation:*"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_include", new String[] {"a:b", "a:c", "a:d"},
                "_revinclude", new String[] {"x:y", "x:z", "x:w"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_include", new String[] {"MedicationRequest:medication"}), null)).isEmpty();
    }

    @Test
    void refusesNegativeOrNonNumericCountAndOffset() {
        assertThat(bounds.problems(Map.of("_count", new String[] {"-1"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_offset", new String[] {"-1"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_offset", new String[] {"99999999999999"}), null)).isNotEmpty();
        assertThat(bounds.problems(Map.of("_count", new String[] {"0"}, "_offset", new String[] {"40"}), null))
                .isEmpty();
    }

    @Test
    void refusesAnIfMatchThatIsNoVersionEtag() {
        assertThat(bounds.problems(Map.of(), "garbage")).isNotEmpty();
        assertThat(bounds.problems(Map.of(), "W/\"abc\"")).isNotEmpty();
        assertThat(bounds.problems(Map.of(), "W/\"3\"")).isEmpty();
        assertThat(bounds.problems(Map.of(), "\"12\"")).isEmpty();
    }

    @Test
    void refusesABundleWithTooManyEntriesOrTooManyReadsButNotManyWrites() {
        assertThat(bounds.bundleProblems(bundle(1000, Bundle.HTTPVerb.POST))).isEmpty();
        assertThat(bounds.bundleProblems(bundle(1001, Bundle.HTTPVerb.POST))).get().asString()
                .contains("max-bundle-entries");
        assertThat(bounds.bundleProblems(bundle(100, Bundle.HTTPVerb.GET))).isEmpty();
        assertThat(bounds.bundleProblems(bundle(101, Bundle.HTTPVerb.GET))).get().asString()
                .contains("max-bundle-reads").contains("101");
        Bundle mixed = bundle(800, Bundle.HTTPVerb.PUT);
        bundle(101, Bundle.HTTPVerb.HEAD).getEntry().forEach(mixed::addEntry);
        assertThat(bounds.bundleProblems(mixed)).get().asString().contains("max-bundle-reads");
    }

    private static Bundle bundle(int entries, Bundle.HTTPVerb method) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
        for (int i = 0; i < entries; i++) {
            bundle.addEntry().setResource(new Patient()).getRequest().setMethod(method).setUrl("Patient");
        }
        return bundle;
    }
}
