package org.ntx.cohort;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.ntx.profiles.Canonicals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A deterministic synthetic cohort of naltrexone patients: the same seed, size and reference date give the same
 * bundles, byte for byte. The mix is made up for demonstration and testing, not epidemiology: about 55% on the
 * monthly injection and 45% on oral tablets; 65% treated for opioid and 35% for alcohol use disorder; courses that are
 * on time, late (injection gaps of 36-50 days, oral refills with gaps) or stopped after 1-3 months; opioid exposure
 * before induction for OUD patients (about 5% still inside the opioid-free window); relapses (positive urine screens,
 * opioid dispenses); opioid orders during an active blockade; liver tests every ~90 days with some elevations; and
 * overdose events. Naltrexone orders, injections, liver results and care plans claim the project's profiles.
 */
public final class SyntheticCohort {

    public static final String IDENTIFIER_SYSTEM = "urn:ntx:synthetic-cohort";
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    static final String SNOMED = "http://snomed.info/sct";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    private static final String PROFILE = Canonicals.STRUCTURE_DEFINITION_BASE;
    private static final Coding ORAL = new Coding(RXNORM, "1483744", "naltrexone hydrochloride 50 MG Oral Tablet");
    private static final Coding INJECTION = new Coding(RXNORM, "637213", "naltrexone 380 MG Injection");
    private static final List<Coding> OPIOIDS = List.of(
            new Coding(RXNORM, "1049683", "oxyCODONE Hydrochloride 10 MG Oral Tablet"),
            new Coding(RXNORM, "856987", "Acetaminophen 300 MG / Hydrocodone Bitartrate 5 MG Oral Tablet"),
            new Coding(RXNORM, "351266", "buprenorphine 2 MG / naloxone 0.5 MG Sublingual Tablet"),
            new Coding(RXNORM, "864706", "methadone hydrochloride 10 MG Oral Tablet"));

    /** How a course goes. */
    enum Pattern { ON_TIME, LATE, STOPPED }

    private final long seed;
    private final Instant asOf;

    public SyntheticCohort(long seed, Instant asOf) {
        this.seed = seed;
        this.asOf = asOf;
    }

    /** Patient number {@code index} as one transaction Bundle with internal urn:uuid references. */
    public Bundle patient(int index) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        Course course = new Course(index, random);
        course.build();
        return course.bundle;
    }

    private final class Course {
        final int index;
        final SplittableRandom random;
        final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        final String patientRef;
        int counter;

        Course(int index, SplittableRandom random) {
            this.index = index;
            this.random = random;
            this.patientRef = uuid("patient");
        }

        void build() {
            boolean injection = random.nextDouble() < 0.55;
            boolean oud = random.nextDouble() < 0.65;
            double p = random.nextDouble();
            Pattern pattern = p < 0.6 ? Pattern.ON_TIME : p < 0.8 ? Pattern.LATE : Pattern.STOPPED;
            Instant start = asOf.minus(20 + random.nextInt(345), ChronoUnit.DAYS);

            Patient patient = new Patient();
            patient.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(seed + "-" + index);
            patient.addName().setFamily("Synthetic-" + index).addGiven(random.nextBoolean() ? "Alex" : "Sam");
            patient.setGender(random.nextBoolean() ? Enumerations.AdministrativeGender.FEMALE
                    : Enumerations.AdministrativeGender.MALE);
            patient.setBirthDateElement(new DateType(1955 + random.nextInt(50) + "-0" + (1 + random.nextInt(9))
                    + "-1" + random.nextInt(10)));
            add(patientRef, patient);

            String conditionRef = uuid("condition");
            Condition condition = new Condition();
            condition.setSubject(new Reference(patientRef));
            condition.setClinicalStatus(concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active",
                    "Active"));
            condition.setCode(oud
                    ? concept(SNOMED, "5602001", "Opioid abuse").addCoding(new Coding(
                            "http://hl7.org/fhir/sid/icd-10-cm", "F11.20", "Opioid dependence, uncomplicated"))
                    : concept(SNOMED, "7200002", "Alcoholism").addCoding(new Coding(
                            "http://hl7.org/fhir/sid/icd-10-cm", "F10.20", "Alcohol dependence, uncomplicated")));
            condition.setRecordedDateElement(new DateTimeType(date(start.minus(30, ChronoUnit.DAYS))));
            add(conditionRef, condition);

            if (oud) {
                // Opioid use before induction: usually ending 8-20 days before, sometimes (5%) inside the window.
                int daysBefore = random.nextDouble() < 0.05 ? 2 + random.nextInt(4) : 8 + random.nextInt(13);
                Instant lastUse = start.minus(daysBefore, ChronoUnit.DAYS);
                add(uuid("opioid"), dispense(OPIOIDS.get(random.nextInt(OPIOIDS.size())),
                        lastUse.minus(14, ChronoUnit.DAYS), 14));
            }
            add(uuid("order"), naltrexoneOrder(injection, start, oud));
            Instant end = injection ? injections(start, pattern) : oralFills(start, pattern);
            liverTests(start, end);
            if (random.nextDouble() < 0.15) {
                Instant when = between(start, end.plus(60, ChronoUnit.DAYS));
                add(uuid("screen"), urineScreen(when, true));
                if (random.nextBoolean()) {
                    add(uuid("relapse"), dispense(OPIOIDS.get(random.nextInt(2)), when, 7));
                }
            }
            if (random.nextDouble() < 0.05) {
                // An opioid ordered shortly after a dose: during the blockade.
                MedicationRequest opioid = order(OPIOIDS.get(0), start.plus(3, ChronoUnit.DAYS),
                        MedicationRequest.MedicationRequestStatus.COMPLETED);
                add(uuid("opioid-order"), opioid);
            }
            if (random.nextDouble() < 0.03) {
                Instant overdose = between(end, end.plus(80, ChronoUnit.DAYS));
                MedicationAdministration naloxone = new MedicationAdministration();
                naloxone.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
                naloxone.setSubject(new Reference(patientRef));
                naloxone.setMedication(concept(RXNORM, "1191222", "naloxone hydrochloride 0.4 MG/ML Injectable Solution"));
                naloxone.setEffective(new DateTimeType(date(overdose)));
                add(uuid("naloxone"), naloxone);
            }
            add(uuid("careplan"), carePlan(conditionRef, injection, start, end, pattern));
        }

        Instant injections(Instant start, Pattern pattern) {
            int count = pattern == Pattern.STOPPED ? 1 + random.nextInt(3) : 3 + random.nextInt(8);
            Instant when = start;
            Instant last = start;
            for (int k = 0; k < count && !when.isAfter(asOf); k++) {
                add(uuid("injection"), injection(when, k));
                last = when;
                int gap = pattern == Pattern.LATE && random.nextDouble() < 0.4 ? 36 + random.nextInt(15)
                        : 26 + random.nextInt(5);
                when = when.plus(gap, ChronoUnit.DAYS);
            }
            return last.plus(28, ChronoUnit.DAYS);
        }

        Instant oralFills(Instant start, Pattern pattern) {
            int count = pattern == Pattern.STOPPED ? 1 + random.nextInt(3) : 3 + random.nextInt(8);
            Instant when = start;
            Instant supplyEnd = start;
            for (int k = 0; k < count && !when.isAfter(asOf); k++) {
                add(uuid("fill"), dispense(ORAL, when, 30));
                supplyEnd = when.plus(30, ChronoUnit.DAYS);
                int gap = pattern == Pattern.LATE && random.nextDouble() < 0.4 ? 38 + random.nextInt(15)
                        : 28 + random.nextInt(4);
                when = when.plus(gap, ChronoUnit.DAYS);
            }
            return supplyEnd;
        }

        void liverTests(Instant start, Instant end) {
            double elevation = random.nextDouble();
            Instant when = start.minus(3, ChronoUnit.DAYS);
            for (int k = 0; !when.isAfter(end) && !when.isAfter(asOf); k++) {
                // About 8% of patients have ALT > 3x ULN at a follow-up, 2% > 5x.
                double multiple = k > 0 && elevation < 0.02 ? 5.5 : k > 0 && elevation < 0.08 ? 3.4
                        : 0.4 + random.nextDouble() * 0.7;
                add(uuid("alt"), liver("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or "
                        + "Plasma", when, Math.round(multiple * 40), 40));
                add(uuid("ast"), liver("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or "
                        + "Plasma", when, Math.round((0.5 + random.nextDouble() * 0.5) * 40), 40));
                when = when.plus(85 + random.nextInt(10), ChronoUnit.DAYS);
            }
        }

        MedicationRequest naltrexoneOrder(boolean injection, Instant start, boolean oud) {
            MedicationRequest order = order(injection ? INJECTION : ORAL, start.minus(1, ChronoUnit.DAYS),
                    MedicationRequest.MedicationRequestStatus.ACTIVE);
            order.getMeta().addProfile(PROFILE + "ntx-medicationrequest");
            order.addReasonCode(oud ? concept(SNOMED, "5602001", "Opioid abuse") : concept(SNOMED, "7200002",
                    "Alcoholism"));
            order.addDosageInstruction()
                    .setText(injection ? "380 mg deep IM gluteal every 28 days, alternating buttocks"
                            : "50 mg by mouth once daily")
                    .setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent().setFrequency(1)
                            .setPeriod(injection ? 28 : 1).setPeriodUnit(Timing.UnitsOfTime.D)))
                    .addDoseAndRate().setDose(mg(injection ? 380 : 50));
            if (!injection) {
                order.getDispenseRequest().setExpectedSupplyDuration((Duration) new Duration().setValue(30)
                        .setUnit("days").setSystem(UCUM).setCode("d"));
            }
            return order;
        }

        MedicationRequest order(Coding medication, Instant authored, MedicationRequest.MedicationRequestStatus status) {
            MedicationRequest order = new MedicationRequest();
            order.setStatus(status);
            order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
            order.setSubject(new Reference(patientRef));
            order.setAuthoredOnElement(new DateTimeType(date(authored)));
            order.setMedication(new CodeableConcept().addCoding(medication.copy()));
            return order;
        }

        MedicationAdministration injection(Instant when, int number) {
            MedicationAdministration administration = new MedicationAdministration();
            administration.getMeta().addProfile(PROFILE + "ntx-medicationadministration");
            administration.addExtension(PROFILE + "ntx-lot-number",
                    new StringType("SYN-" + (100000 + random.nextInt(900000))));
            administration.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
            administration.setMedication(new CodeableConcept().addCoding(INJECTION.copy()));
            administration.setSubject(new Reference(patientRef));
            administration.setEffective(new DateTimeType(date(when)));
            administration.addPerformer().setActor(new Reference("Practitioner/synthetic-nurse"));
            administration.getDosage()
                    .setSite(number % 2 == 0 ? concept(SNOMED, "723979003", "Structure of left buttock")
                            : concept(SNOMED, "723980000", "Structure of right buttock"))
                    .setRoute(concept(SNOMED, "78421000", "Intramuscular route"))
                    .setDose((SimpleQuantity) mg(380));
            return administration;
        }

        MedicationDispense dispense(Coding medication, Instant when, int days) {
            MedicationDispense dispense = new MedicationDispense();
            dispense.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
            dispense.setMedication(new CodeableConcept().addCoding(medication.copy()));
            dispense.setSubject(new Reference(patientRef));
            dispense.setWhenHandedOverElement(new DateTimeType(date(when)));
            dispense.setDaysSupply((SimpleQuantity) new SimpleQuantity().setValue(days).setUnit("days")
                    .setSystem(UCUM).setCode("d"));
            return dispense;
        }

        Observation liver(String loinc, String display, Instant when, long value, int upperLimit) {
            Observation observation = laboratory(loinc, display, when);
            observation.getMeta().addProfile(PROFILE + "ntx-liver-observation");
            observation.setValue(new Quantity().setValue(value).setUnit("U/L").setSystem(UCUM).setCode("U/L"));
            observation.addReferenceRange().setHigh((SimpleQuantity) new SimpleQuantity().setValue(upperLimit)
                    .setUnit("U/L").setSystem(UCUM).setCode("U/L"));
            return observation;
        }

        Observation urineScreen(Instant when, boolean positive) {
            Observation screen = laboratory("19295-5", "Opiates [Presence] in Urine by Screen method", when);
            screen.setValue(positive ? concept(SNOMED, "10828004", "Positive") : concept(SNOMED, "260385009",
                    "Negative"));
            return screen;
        }

        Observation laboratory(String loinc, String display, Instant when) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.addCategory(concept("http://terminology.hl7.org/CodeSystem/observation-category",
                    "laboratory", "Laboratory"));
            observation.setCode(concept(LOINC, loinc, display));
            observation.setSubject(new Reference(patientRef));
            observation.setEffective(new DateTimeType(date(when)));
            return observation;
        }

        CarePlan carePlan(String conditionRef, boolean injection, Instant start, Instant end, Pattern pattern) {
            boolean ongoing = end.isAfter(asOf);
            CarePlan plan = new CarePlan();
            plan.getMeta().addProfile(PROFILE + "ntx-careplan");
            plan.addExtension(PROFILE + "ntx-treatment-phase", new Coding(Canonicals.CODE_SYSTEM,
                    ongoing ? "maintenance" : "discontinuation", ongoing ? "Maintenance" : "Discontinuation"));
            plan.setStatus(ongoing ? CarePlan.CarePlanStatus.ACTIVE
                    : pattern == Pattern.STOPPED ? CarePlan.CarePlanStatus.REVOKED : CarePlan.CarePlanStatus.COMPLETED);
            plan.setIntent(CarePlan.CarePlanIntent.PLAN);
            plan.setSubject(new Reference(patientRef));
            Period period = new Period().setStart(date(start));
            if (!ongoing) {
                period.setEnd(date(end));
            }
            plan.setPeriod(period);
            plan.addAddresses(new Reference(conditionRef));
            activity(plan, "opioid-free-interval", "Opioid-free interval", null);
            activity(plan, "naloxone-challenge", "Naloxone challenge", null);
            if (injection) {
                activity(plan, "injection-schedule", "Injection schedule", 28);
            }
            activity(plan, "liver-monitoring", "Liver monitoring", 90);
            activity(plan, "counselling", "Counselling", null);
            return plan;
        }

        void activity(CarePlan plan, String code, String display, Integer everyDays) {
            CarePlan.CarePlanActivityDetailComponent detail = plan.addActivity().getDetail()
                    .setCode(concept(Canonicals.CODE_SYSTEM, code, display))
                    .setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS);
            if (everyDays != null) {
                detail.setScheduled(new Timing().setRepeat(new Timing.TimingRepeatComponent().setFrequency(1)
                        .setPeriod(everyDays).setPeriodUnit(Timing.UnitsOfTime.D)));
            }
        }

        void add(String fullUrl, Resource resource) {
            bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
        }

        String uuid(String kind) {
            return "urn:uuid:" + UUID.nameUUIDFromBytes((seed + "/" + index + "/" + kind + "/" + counter++)
                    .getBytes(StandardCharsets.UTF_8));
        }

        Instant between(Instant from, Instant to) {
            long span = Math.max(1, ChronoUnit.DAYS.between(from, to));
            Instant when = from.plus(random.nextLong(span), ChronoUnit.DAYS);
            return when.isAfter(asOf) ? asOf.minus(1, ChronoUnit.DAYS) : when;
        }
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept().addCoding(new Coding(system, code, display));
    }

    private static Quantity mg(int value) {
        return new SimpleQuantity().setValue(value).setUnit("mg").setSystem(UCUM).setCode("mg");
    }

    private static Date date(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS));
    }
}
