package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.LabTest;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which laboratory test a LOINC code is, and how its enzyme units convert. The liver tests are named individually:
 * ALT 1742-6 (serum or plasma), 1743-4 and 1744-2 (with and without pyridoxal-5'-phosphate), 76625-3 (blood); AST
 * 1920-8, 30239-8 and 88112-8 (VSAC "Aspartate transaminase lab test" 2.16.840.1.113762.1.4.1248.224); ALP, GGT, total
 * bilirubin and the hepatic function panel from {@code shared/clinical/codes.csv}. Sources of the ALT codes: the dQM
 * CMS content IG value set "ALT lab tests" and the Lithuanian laboratory IG "ALT method" value set (tx.fhir.org
 * expansions, LOINC 2.82). Any member of the package's opioid urine drug screen value set is a screen.
 */
public final class LabClassifier {

    private static final Map<Code, LabTest> LIVER_TESTS = Map.ofEntries(
            Map.entry(Code.loinc("1742-6"), LabTest.ALT),
            Map.entry(Code.loinc("1743-4"), LabTest.ALT),
            Map.entry(Code.loinc("1744-2"), LabTest.ALT),
            Map.entry(Code.loinc("76625-3"), LabTest.ALT),
            Map.entry(Code.loinc("1920-8"), LabTest.AST),
            Map.entry(Code.loinc("30239-8"), LabTest.AST),
            Map.entry(Code.loinc("88112-8"), LabTest.AST),
            Map.entry(Code.loinc("6768-6"), LabTest.ALKALINE_PHOSPHATASE),
            Map.entry(Code.loinc("2324-2"), LabTest.GGT),
            Map.entry(Code.loinc("1975-2"), LabTest.TOTAL_BILIRUBIN),
            Map.entry(Code.loinc("24325-3"), LabTest.HEPATIC_FUNCTION_PANEL));

    private final CodeSet urineScreens;
    private final LabUnits units;

    LabClassifier(ValueSetIndex valueSets, LabUnits units) {
        this.urineScreens = valueSets.get(ValueSets.OPIOID_URINE_DRUG_SCREENS);
        this.units = units;
    }

    /** For ALT and AST results: how many U/L one {@code unit} is (UCUM); empty for other tests and units. */
    public java.util.Optional<java.math.BigDecimal> unitsPerLitre(LabTest test, String unit) {
        return test == LabTest.ALT || test == LabTest.AST ? units.unitsPerLitre(unit) : java.util.Optional.empty();
    }

    /**
     * Every code this classifier tells apart from {@link LabTest#OTHER}: an Observation coded with none of them is
     * never read by the rules, so a search may ask for these codes only and lose nothing the rules act on.
     */
    public Set<Code> recognisedCodes() {
        Set<Code> codes = new HashSet<>(LIVER_TESTS.keySet());
        codes.addAll(urineScreens.codes());
        return Set.copyOf(codes);
    }

    public LabTest classify(Code code) {
        LabTest liver = LIVER_TESTS.get(new Code(code.system().trim(), code.value().trim()));
        if (liver != null) {
            return liver;
        }
        return urineScreens.contains(code) ? LabTest.OPIOID_URINE_SCREEN : LabTest.OTHER;
    }
}
