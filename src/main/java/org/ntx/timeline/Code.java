package org.ntx.timeline;

import java.util.Objects;

/**
 * A coded concept: a terminology system URI and a code in it. The timeline and the rules compare codes only through
 * this record, never as loose strings.
 */
public record Code(String system, String value) {

    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String UCUM = "http://unitsofmeasure.org";

    public Code {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(value, "value");
    }

    public static Code rxnorm(String value) {
        return new Code(RXNORM, value);
    }

    public static Code loinc(String value) {
        return new Code(LOINC, value);
    }

    public static Code snomed(String value) {
        return new Code(SNOMED, value);
    }

    @Override
    public String toString() {
        return system + "|" + value;
    }
}
