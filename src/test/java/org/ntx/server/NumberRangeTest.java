package org.ntx.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers whose written-out form would be enormous are found as written, without expanding them. */
class NumberRangeTest {

    @ParameterizedTest(name = "{0}: out of range {1}")
    @CsvSource({
            "45.10, false",
            "380, false",
            "-0.5, false",
            "1e300, false",
            "1e301, true",
            "1E+99999999, true",
            "1e-300, false",
            "1e-301, true",
            "0E-99999999, true",
            "1.5e-299, false",
            "1.55e-299, true",
            "12345e-3, false",
            "1e0000000000000000000001, false",
            "1e99999999999999999999, true",
            "-1e-99999999999999999999, true",
    })
    void aNumberIsOutOfRangeWhenItsScaleIsBeyond300(String number, boolean expected) {
        assertThat(NumberRange.outOfRange(number)).isEqualTo(expected);
    }

    @Test
    void findsTheNumberAnywhereInAJsonBodyButNotInsideStrings() {
        assertThat(NumberRange.firstOutOfRange(bytes("""
                {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation",
                  "note": [{"text": "1e99999999"}], "valueQuantity": {"value": 1e99999999}}}]}
                """))).isEqualTo(Optional.of("1e99999999"));
        assertThat(NumberRange.firstOutOfRange(bytes("""
                {"resourceType": "Observation", "note": [{"text": "1e99999999"}], "valueQuantity": {"value": 45.1}}
                """))).isEmpty();
        assertThat(NumberRange.firstOutOfRange(bytes("[1, 2, 1e-999]"))).isEqualTo(Optional.of("1e-999"));
    }

    /** HAPI's JSON reading is lenient; the scan must read at least everything HAPI reads. */
    @Test
    void findsTheNumberInJsonOnlyALenientParserReads() {
        assertThat(NumberRange.firstOutOfRange(bytes("{'resourceType': 'Observation', 'value': 1e99999999}")))
                .isEqualTo(Optional.of("1e99999999"));
        assertThat(NumberRange.firstOutOfRange(bytes("{\"value\": +1e99999999}"))).isPresent();
        assertThat(NumberRange.firstOutOfRange(bytes("\u001F\u2003 {\"value\": 1e99999999}")))
                .isEqualTo(Optional.of("1e99999999"));
        assertThat(NumberRange.firstOutOfRange(bytes("{\"text\": \"" + "x".repeat(30_000_000) + "\", \"value\": 1e-999}")))
                .isEqualTo(Optional.of("1e-999"));
        assertThat(NumberRange.firstOutOfRange(bytes("{\"value\": " + "1".repeat(2_000) + "e99999999}"))).isPresent();
    }

    @Test
    void findsOutOfRangeNumbersInSearchParametersWithTheirPrefixesAndUnits() {
        assertThat(NumberRange.firstOutOfRange(Map.of("value-quantity",
                new String[] {"gt1e999999999|http://unitsofmeasure.org|U/L"}))).isEqualTo(Optional.of("1e999999999"));
        assertThat(NumberRange.firstOutOfRange(Map.of("value-quantity", new String[] {"ap5.4e-301"})))
                .isEqualTo(Optional.of("5.4e-301"));
        assertThat(NumberRange.firstOutOfRange(Map.of("value-quantity", new String[] {"gt45.1|http://unitsofmeasure"
                + ".org|U/L"}, "date", new String[] {"ge2026-01-01"}, "_count", new String[] {"1e2"}))).isEmpty();
        assertThat(NumberRange.firstOutOfRange(Map.of("code", new String[] {"9".repeat(8_000)}))).isEmpty();
        // A UUID or identifier that happens to hold digits, an 'e' and more digits is not a number.
        assertThat(NumberRange.firstOutOfRange(Map.of("_tag", new String[] {"urn:ntx:test|5c1d43e-364583-4a1b"},
                "identifier", new String[] {"MRN-3e999", "12e999x"}))).isEmpty();
        assertThat(NumberRange.firstOutOfRange(Map.of("value-quantity", new String[] {"lt1,1e999,2"})))
                .isEqualTo(Optional.of("1e999"));
    }

    @Test
    void leavesWhatIsNotJsonToTheParserBehindIt() {
        assertThat(NumberRange.firstOutOfRange(bytes("<Observation><value value=\"1e99999999\"/></Observation>")))
                .isEmpty();
        assertThat(NumberRange.firstOutOfRange(bytes("{\"value\": 1e99999999"))).isEqualTo(Optional.of("1e99999999"));
        assertThat(NumberRange.firstOutOfRange(bytes("{\"value\": 1,,, 1e99999999}"))).isEmpty();
        assertThat(NumberRange.firstOutOfRange(new byte[0])).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
