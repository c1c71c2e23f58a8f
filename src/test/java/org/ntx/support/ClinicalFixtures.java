package org.ntx.support;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

/**
 * FHIR resources for clinical test stories, dated relative to an explicit {@code asOf}: "an injection 9 days ago",
 * "a draft oxycodone order". Plain R4 with real RxNorm/LOINC/SNOMED codes, as an EHR would send them.
 */
public final class ClinicalFixtures {

    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";

    public static final Coding NALTREXONE_ORAL_50 = new Coding(RXNORM, "1483744",
            "naltrexone hydrochloride 50 MG Oral Tablet");
    public static final Coding NALTREXONE_XR_380 = new Coding(RXNORM, "637213", "naltrexone 380 MG Injection");
    public static final Coding OXYCODONE_10 = new Coding(RXNORM, "1049683", "oxyCODONE Hydrochloride 10 MG Oral Tablet");
    public static final Coding MORPHINE_INJECTION = new Coding(RXNORM, "1732136",
            "1 ML Morphine Sulfate 5 MG/ML Injection");
    public static final Coding METHADONE_10 = new Coding(RXNORM, "864706", "methadone hydrochloride 10 MG Oral Tablet");
    public static final Coding IBUPROFEN = new Coding(RXNORM, "310965", "ibuprofen 200 MG Oral Tablet");

    private final String patientReference;
    private final Instant asOf;

    public ClinicalFixtures(String patientId, Instant asOf) {
        this.patientReference = "Patient/" + patientId;
        this.asOf = asOf;
    }

    public Date daysAgo(double days) {
        return Date.from(asOf.minus((long) (days * 24 * 60), ChronoUnit.MINUTES));
    }

    public MedicationAdministration injectionDaysAgo(double days) {
        MedicationAdministration administration = new MedicationAdministration();
        administration.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        administration.setMedication(new CodeableConcept().addCoding(NALTREXONE_XR_380.copy()));
        administration.setSubject(new Reference(patientReference));
        administration.setEffective(new DateTimeType(daysAgo(days)));
        administration.getDosage().setDose((SimpleQuantity) new SimpleQuantity()
                .setValue(380).setUnit("mg").setSystem("http://unitsofmeasure.org").setCode("mg"));
        administration.getDosage().setRoute(new CodeableConcept().addCoding(
                new Coding(SNOMED, "78421000", "Intramuscular route")));
        return administration;
    }

    public MedicationRequest order(Coding medication, double authoredDaysAgo, MedicationRequest.MedicationRequestStatus status) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(status);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setSubject(new Reference(patientReference));
        order.setAuthoredOn(daysAgo(authoredDaysAgo));
        order.setMedication(new CodeableConcept().addCoding(medication.copy()));
        return order;
    }

    public MedicationRequest oralNaltrexoneOrder(double authoredDaysAgo, int daysSupply) {
        MedicationRequest order = order(NALTREXONE_ORAL_50, authoredDaysAgo,
                MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.addDosageInstruction().addDoseAndRate().setDose(new Quantity().setValue(50).setUnit("mg")
                .setSystem("http://unitsofmeasure.org").setCode("mg"));
        order.getDispenseRequest().setExpectedSupplyDuration((Duration) new Duration().setValue(daysSupply)
                .setUnit("days").setSystem("http://unitsofmeasure.org").setCode("d"));
        order.getDispenseRequest().setValidityPeriod(new Period().setStart(daysAgo(authoredDaysAgo)));
        return order;
    }

    public MedicationRequest draft(Coding medication) {
        MedicationRequest draft = order(medication, 0, MedicationRequest.MedicationRequestStatus.DRAFT);
        draft.setId("draft-1");
        return draft;
    }

    public MedicationDispense dispenseDaysAgo(Coding medication, double days, int daysSupply) {
        MedicationDispense dispense = new MedicationDispense();
        dispense.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
        dispense.setMedication(new CodeableConcept().addCoding(medication.copy()));
        dispense.setSubject(new Reference(patientReference));
        dispense.setWhenHandedOver(daysAgo(days));
        dispense.setDaysSupply((SimpleQuantity) new SimpleQuantity().setValue(daysSupply).setUnit("d")
                .setSystem("http://unitsofmeasure.org").setCode("d"));
        return dispense;
    }

    public Observation alt(double daysAgo, double value, double upperLimit) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory"));
        observation.setCode(new CodeableConcept().addCoding(new Coding(LOINC, "1742-6",
                "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma")));
        observation.setSubject(new Reference(patientReference));
        observation.setEffective(new DateTimeType(daysAgo(daysAgo)));
        observation.setValue(new Quantity().setValue(value).setUnit("U/L")
                .setSystem("http://unitsofmeasure.org").setCode("U/L"));
        observation.addReferenceRange().setHigh((SimpleQuantity) new SimpleQuantity().setValue(upperLimit)
                .setUnit("U/L").setSystem("http://unitsofmeasure.org").setCode("U/L"));
        return observation;
    }

    public Condition acuteHepatitis() {
        Condition condition = new Condition();
        condition.setClinicalStatus(new CodeableConcept().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")));
        condition.setCode(new CodeableConcept().addCoding(new Coding(SNOMED, "37871000", "Acute hepatitis")));
        condition.setSubject(new Reference(patientReference));
        return condition;
    }
}
