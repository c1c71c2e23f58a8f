package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever is stored must read back: decimals written as JSON numbers, no values the parser kept only as text, no
 * unpaired surrogates or control characters; and bodies are read as the bytes sent (UTF-8, FHIR's XML namespace).
 */
class StorableValuesTest {

    final StorableResources storable = new StorableResources(FhirContext.forR4Cached());

    @Test
    void refusesDecimalsThatAreNoJsonNumberInTheResourceOrAContainedOne() {
        for (String written : new String[] {"5.", ".5", "+5", "05", "5e", "1e400"}) {
            Observation observation = observation(written);
            assertThat(storable.problem(observation)).as(written).isPresent();
            Observation outer = new Observation();
            outer.addContained(observation(written).setId("inner"));
            assertThat(storable.problem(outer)).as("contained " + written).isPresent();
        }
        for (String written : new String[] {"5", "5.0", "-0.25", "1e3", "1E-3", "0"}) {
            assertThat(storable.problem(observation(written))).as(written).isEmpty();
        }
    }

    @Test
    void refusesUnpairedSurrogatesAndControlCharactersInText() {
        assertThat(storable.problem(patient("\ud800"))).isPresent();
        assertThat(storable.problem(patient("a\udc00b"))).isPresent();
        assertThat(storable.problem(patient("bell\u0007"))).isPresent();
        assertThat(storable.problem(patient("emoji \ud83d\ude00, tab\t, line\n"))).isEmpty();
    }

    @Test
    void readsBodiesAsTheBytesSent() {
        byte[] latin1 = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\u00fcller\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RequestBodyEncoding.problem(latin1, "application/fhir+json", null, true)).isPresent();
        assertThat(RequestBodyEncoding.problem(latin1, "application/fhir+json", "ISO-8859-1", true)).isEmpty();
        assertThat(RequestBodyEncoding.problem(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png", null, true))
                .as("a Binary uploaded as its own bytes").isEmpty();
        byte[] foreign = "<Patient xmlns=\"http://example.org/x\"><active value=\"true\"/></Patient>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(RequestBodyEncoding.problem(foreign, "application/fhir+xml", null, true)).isPresent();
        byte[] fhir = "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"/></Patient>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(RequestBodyEncoding.problem(fhir, "application/fhir+xml", null, true)).isEmpty();
    }

    private static Observation observation(String decimal) {
        Observation observation = new Observation();
        DecimalType value = new DecimalType();
        value.setValueAsString(decimal.equals("5e") ? "5" : decimal);
        if (decimal.equals("5e")) {
            // What a lenient parse leaves behind: the text kept, no value.
            value = new DecimalType() {
                @Override
                public String getValueAsString() {
                    return "5e";
                }

                @Override
                public java.math.BigDecimal getValue() {
                    return null;
                }
            };
        }
        observation.setValue(new Quantity().setValueElement(value));
        return observation;
    }

    private static Patient patient(String family) {
        Patient patient = new Patient();
        patient.addName().setFamily(family);
        return patient;
    }
}
