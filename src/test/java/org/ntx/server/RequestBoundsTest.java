package org.ntx.server;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Searches that would cost far more than they look, or that HAPI answered with 500, are refused up front. */
class RequestBoundsTest {

    final RequestBounds bounds = new RequestBounds(new LimitProperties(DataSize.ofMegabytes(10), DataSize.ofMegabytes(128), 3, 5, 1000, 100));

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
}
