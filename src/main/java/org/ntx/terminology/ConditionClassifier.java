package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.ConditionClass;

import java.util.Map;

/**
 * Which diagnosis a SNOMED CT or ICD-10-CM code is, for the liver rule and the outcome measures. SNOMED codes are
 * those of {@code shared/clinical/codes.csv}; ICD-10-CM is matched by category (F11 opioid-related, F10 alcohol-related,
 * K72 hepatic failure, T40.0-T40.4/T40.6 opioid poisoning).
 */
public final class ConditionClassifier {

    private static final Map<Code, ConditionClass> SNOMED = Map.ofEntries(
            Map.entry(Code.snomed("5602001"), ConditionClass.OPIOID_USE_DISORDER),
            Map.entry(Code.snomed("75544000"), ConditionClass.OPIOID_USE_DISORDER),
            Map.entry(Code.snomed("724653003"), ConditionClass.OPIOID_USE_DISORDER),
            Map.entry(Code.snomed("1081000119105"), ConditionClass.OPIOID_USE_DISORDER),
            Map.entry(Code.snomed("191821007"), ConditionClass.OPIOID_USE_DISORDER),
            Map.entry(Code.snomed("1336085007"), ConditionClass.ALCOHOL_USE_DISORDER),
            Map.entry(Code.snomed("66590003"), ConditionClass.ALCOHOL_USE_DISORDER),
            Map.entry(Code.snomed("15167005"), ConditionClass.ALCOHOL_USE_DISORDER),
            Map.entry(Code.snomed("7200002"), ConditionClass.ALCOHOL_USE_DISORDER),
            Map.entry(Code.snomed("37871000"), ConditionClass.ACUTE_HEPATITIS),
            Map.entry(Code.snomed("197271008"), ConditionClass.ACUTE_HEPATITIS),
            Map.entry(Code.snomed("235876009"), ConditionClass.ACUTE_HEPATITIS),
            Map.entry(Code.snomed("235875008"), ConditionClass.ACUTE_HEPATITIS),
            Map.entry(Code.snomed("197270009"), ConditionClass.LIVER_FAILURE),
            Map.entry(Code.snomed("59927004"), ConditionClass.LIVER_FAILURE),
            Map.entry(Code.snomed("19943007"), ConditionClass.CIRRHOSIS),
            Map.entry(Code.snomed("420054005"), ConditionClass.CIRRHOSIS),
            Map.entry(Code.snomed("55680006"), ConditionClass.OPIOID_OVERDOSE),
            Map.entry(Code.snomed("87132004"), ConditionClass.OPIOID_WITHDRAWAL));

    private static final Map<String, ConditionClass> ICD10_EXACT = Map.of(
            "F11.13", ConditionClass.OPIOID_WITHDRAWAL,
            "F11.23", ConditionClass.OPIOID_WITHDRAWAL,
            "F11.93", ConditionClass.OPIOID_WITHDRAWAL,
            "B17.9", ConditionClass.ACUTE_HEPATITIS,
            "K71.2", ConditionClass.ACUTE_HEPATITIS,
            "K70.10", ConditionClass.ACUTE_HEPATITIS,
            "K70.30", ConditionClass.CIRRHOSIS,
            "K74.60", ConditionClass.CIRRHOSIS);

    public ConditionClass classify(Code code) {
        if (Code.SNOMED.equals(code.system())) {
            return SNOMED.getOrDefault(code, ConditionClass.OTHER);
        }
        if (Code.ICD10CM.equals(code.system())) {
            return icd10(code.value());
        }
        return ConditionClass.OTHER;
    }

    private static ConditionClass icd10(String value) {
        ConditionClass exact = ICD10_EXACT.get(value);
        if (exact != null) {
            return exact;
        }
        if (value.startsWith("F11")) {
            return ConditionClass.OPIOID_USE_DISORDER;
        }
        if (value.startsWith("F10")) {
            return ConditionClass.ALCOHOL_USE_DISORDER;
        }
        if (value.startsWith("K72")) {
            return ConditionClass.LIVER_FAILURE;
        }
        if (value.startsWith("T40.0") || value.startsWith("T40.1") || value.startsWith("T40.2")
                || value.startsWith("T40.3") || value.startsWith("T40.4") || value.startsWith("T40.6")) {
            return ConditionClass.OPIOID_OVERDOSE;
        }
        return ConditionClass.OTHER;
    }
}
