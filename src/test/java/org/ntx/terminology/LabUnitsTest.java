package org.ntx.terminology;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.timeline.Code;
import org.ntx.timeline.LabTest;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Enzyme units converted by the UCUM library, not by comparing strings. */
class LabUnitsTest {

    static final LabUnits UNITS = LabUnits.fromClasspath();
    static final LabClassifier LABS = Terminology.fromClasspath().labs();

    @ParameterizedTest(name = "1 {0} = {1} U/L")
    @CsvSource({"U/L, 1", "IU/L, 1", "[IU]/L, 1", "u/l, 1", "ukat/L, 60", "µkat/L, 60", "nkat/L, 0.06", "U/mL, 1000",
            "mU/mL, 1", "kU/L, 1000"})
    void convertsEnzymeActivityUnitsToUnitsPerLitre(String unit, String factor) {
        assertThat(UNITS.unitsPerLitre(unit)).hasValueSatisfying(f -> assertThat(f).isEqualByComparingTo(factor));
    }

    @ParameterizedTest(name = "{0} does not convert to U/L")
    @CsvSource({"mg/dL", "umol/L", "%", "not-a-unit", "''"})
    void refusesUnitsThatAreNotEnzymeActivities(String unit) {
        assertThat(UNITS.unitsPerLitre(unit)).isEmpty();
    }

    @ParameterizedTest(name = "LOINC {0} is {1}")
    @CsvSource({"1742-6, ALT", "1743-4, ALT", "1744-2, ALT", "76625-3, ALT", "1920-8, AST", "30239-8, AST",
            "88112-8, AST"})
    void readsEveryAminotransferaseCode(String loinc, LabTest test) {
        assertThat(LABS.classify(Code.loinc(loinc))).isEqualTo(test);
        assertThat(LABS.unitsPerLitre(test, "ukat/L")).hasValueSatisfying(f -> assertThat(f)
                .isEqualByComparingTo(BigDecimal.valueOf(60)));
    }
}
