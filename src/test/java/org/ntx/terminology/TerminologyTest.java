package org.ntx.terminology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.timeline.Code;
import org.ntx.timeline.ConditionClass;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabTest;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Classification of real codes through the value sets our package ships. */
class TerminologyTest {

    final Terminology terminology = Terminology.fromClasspath();

    @ParameterizedTest(name = "RxNorm {0} ({2}) is {1}")
    @CsvSource({
            "1483744, NALTREXONE_ORAL, naltrexone 50 mg tablet",
            "637213, NALTREXONE_EXTENDED_RELEASE, naltrexone 380 mg injection",
            "2570392, SAMIDORPHAN_COMBINATION, olanzapine/samidorphan",
            "1551468, BUPROPION_NALTREXONE, bupropion/naltrexone",
            "863845, OPIOID_LONG_ACTING, morphine/naltrexone ER capsule: an opioid, not a blocker",
            "1732136, OPIOID_SHORT_ACTING, injectable morphine",
            "1049683, OPIOID_SHORT_ACTING, oxycodone tablet",
            "856987, OPIOID_SHORT_ACTING, hydrocodone/acetaminophen",
            "245134, OPIOID_LONG_ACTING, fentanyl patch",
            "351266, OPIOID_LONG_ACTING, buprenorphine/naloxone",
            "864706, OPIOID_LONG_ACTING, methadone tablet",
            "1049504, OPIOID_LONG_ACTING, OxyContin",
            "7804, OPIOID_SHORT_ACTING, oxycodone ingredient",
            "6813, OPIOID_LONG_ACTING, methadone ingredient",
            "1819, OPIOID_LONG_ACTING, buprenorphine ingredient",
            "1191222, OPIOID_REVERSAL_AGENT, naloxone injection",
            "2639721, OPIOID_REVERSAL_AGENT, nalmefene nasal spray",
            "6468, OTHER, loperamide",
            "310965, OTHER, ibuprofen"})
    void classifiesMedications(String rxnorm, DrugClass expected, String story) {
        assertThat(terminology.medications().classify(Set.of(Code.rxnorm(rxnorm)), Optional.empty()))
                .as(story).isEqualTo(expected);
    }

    @Test
    void readsABareNaltrexoneIngredientByRoute() {
        Set<Code> naltrexone = Set.of(Code.rxnorm("7243"));
        assertThat(terminology.medications().classify(naltrexone, Optional.of("Intramuscular route")))
                .isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(terminology.medications().classify(naltrexone, Optional.of("Oral route")))
                .isEqualTo(DrugClass.NALTREXONE_ORAL);
    }

    @Test
    void treatsMorphineWithNaltrexoneIngredientsAsAnOpioid() {
        assertThat(terminology.medications().classify(Set.of(Code.rxnorm("7052"), Code.rxnorm("7243")),
                Optional.empty()).isOpioid()).isTrue();
    }

    @ParameterizedTest(name = "LOINC {0} is {1}")
    @CsvSource({"1742-6, ALT", "1920-8, AST", "6768-6, ALKALINE_PHOSPHATASE", "2324-2, GGT",
            "1975-2, TOTAL_BILIRUBIN", "24325-3, HEPATIC_FUNCTION_PANEL", "19295-5, OPIOID_URINE_SCREEN",
            "59673-4, OPIOID_URINE_SCREEN", "58359-1, OPIOID_URINE_SCREEN", "2345-7, OTHER"})
    void classifiesLabTests(String loinc, LabTest expected) {
        assertThat(terminology.labs().classify(Code.loinc(loinc))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            "http://snomed.info/sct, 5602001, OPIOID_USE_DISORDER",
            "http://snomed.info/sct, 7200002, ALCOHOL_USE_DISORDER",
            "http://snomed.info/sct, 37871000, ACUTE_HEPATITIS",
            "http://snomed.info/sct, 59927004, LIVER_FAILURE",
            "http://snomed.info/sct, 19943007, CIRRHOSIS",
            "http://snomed.info/sct, 55680006, OPIOID_OVERDOSE",
            "http://snomed.info/sct, 87132004, OPIOID_WITHDRAWAL",
            "http://hl7.org/fhir/sid/icd-10-cm, F11.20, OPIOID_USE_DISORDER",
            "http://hl7.org/fhir/sid/icd-10-cm, F11.23, OPIOID_WITHDRAWAL",
            "http://hl7.org/fhir/sid/icd-10-cm, F10.20, ALCOHOL_USE_DISORDER",
            "http://hl7.org/fhir/sid/icd-10-cm, K72.00, LIVER_FAILURE",
            "http://hl7.org/fhir/sid/icd-10-cm, T40.2X1A, OPIOID_OVERDOSE",
            "http://hl7.org/fhir/sid/icd-10-cm, E11.9, OTHER"})
    void classifiesConditions(String system, String code, ConditionClass expected) {
        assertThat(terminology.conditions().classify(new Code(system, code))).isEqualTo(expected);
    }
}
