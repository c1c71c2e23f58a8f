package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.LabTest;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which laboratory test a LOINC code is. The liver tests are named individually (ALT, AST, ... from
 * {@code shared/clinical/codes.csv}); any member of the package's opioid urine drug screen value set is a screen.
 */
public final class LabClassifier {

    private static final Map<Code, LabTest> LIVER_TESTS = Map.of(
            Code.loinc("1742-6"), LabTest.ALT,
            Code.loinc("1920-8"), LabTest.AST,
            Code.loinc("6768-6"), LabTest.ALKALINE_PHOSPHATASE,
            Code.loinc("2324-2"), LabTest.GGT,
            Code.loinc("1975-2"), LabTest.TOTAL_BILIRUBIN,
            Code.loinc("24325-3"), LabTest.HEPATIC_FUNCTION_PANEL);

    private final CodeSet urineScreens;

    LabClassifier(ValueSetIndex valueSets) {
        this.urineScreens = valueSets.get(ValueSets.OPIOID_URINE_DRUG_SCREENS);
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
        LabTest liver = LIVER_TESTS.get(code);
        if (liver != null) {
            return liver;
        }
        return urineScreens.contains(code) ? LabTest.OPIOID_URINE_SCREEN : LabTest.OTHER;
    }
}
