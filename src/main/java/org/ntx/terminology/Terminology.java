package org.ntx.terminology;

/** The classifiers, built once from the package's value sets. */
public record Terminology(MedicationClassifier medications, LabClassifier labs, ConditionClassifier conditions) {

    public static Terminology fromClasspath() {
        ValueSetIndex valueSets = ValueSetIndex.fromClasspath();
        return new Terminology(new MedicationClassifier(valueSets, NdcMap.fromClasspath(), ProductTable.fromClasspath()), new LabClassifier(valueSets, LabUnits.fromClasspath()),
                new ConditionClassifier());
    }
}
