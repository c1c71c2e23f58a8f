package org.ntx.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outcome measures on a small fixed cohort whose numbers are worked out by hand below. The cohort starts in
 * January-March 2024, far from the data other tests write (dated around today), and the report period is 2024-Q1.
 *
 * <pre>
 * P1 injection, OUD: injections 01-10, 02-05, 03-05, 04-05, 05-05, 06-03, 07-01 (gaps 26,29,31,30,29,28 days: 6 on
 *    time); coverage to 07-01 + 28 = 07-29: retained at 30 (02-09), 90 (04-09), 180 (07-08).
 * P2 injection, OUD: injections 01-15 and 03-01 (46 days: 1 late); coverage ends 02-12 (next injection after the
 *    7-day grace): not retained at 30 (02-14). Oxycodone ordered 01-20, 5 days after the injection: 1 order during
 *    an active blockade. Naloxone given 04-01, within 90 days after coverage ended: 1 overdose event.
 * P3 oral, AUD: dispenses 02-01 (30 d), 03-02 (30 d), 04-01 (31 d): covered 02-01 to 05-02 = 91 days, retained at 30
 *    and 90 (05-01), not 180; PDC 91/180 = 0.506, not adherent. ALT 150 U/L with ULN 40 (3.75x) on 03-15: 1 elevation.
 * P4 oral, OUD: seven 30-day dispenses every 30 days from 02-10: covered to 09-07, retained at 30, 90, 180 (08-08);
 *    PDC 180/180 = 1.0, adherent. Positive opioid urine screen 04-20: 1 relapse signal.
 * P5 injection, AUD, first injection 2023-12-20: starts before the period, not in the cohort.
 *
 * Cohort 4 (injection 2, oral 2; OUD 3, AUD 1).
 * retention-30 3/4, retention-90 3/4, retention-180 2/4; injection-on-time 6/7 intervals; oral-pdc-adherent 1/2,
 * mean PDC (0.5056 + 1.0) / 2 = 0.753; relapse-signal 1/4; opioid-order-during-blockade 1/4 (1 order);
 * liver-elevation 1/4; overdose-event 1/4. Stratum formulation:injection retention-30 = 1/2 (P1 yes, P2 no).
 * </pre>
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutcomesIT {

    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    IGenericClient client;
    final List<String> cohort = new ArrayList<>();

    @BeforeAll
    void seedTheCohort() {
        client = FhirTestClient.forPort(fhirContext, port);
        String p1 = patient("P1", "5602001");
        for (String day : List.of("2024-01-10", "2024-02-05", "2024-03-05", "2024-04-05", "2024-05-05", "2024-06-03",
                "2024-07-01")) {
            create(injection(p1, day));
        }
        String p2 = patient("P2", "5602001");
        create(injection(p2, "2024-01-15"));
        create(injection(p2, "2024-03-01"));
        create(opioidOrder(p2, "2024-01-20"));
        create(naloxoneGiven(p2, "2024-04-01"));
        String p3 = patient("P3", "7200002");
        create(oralDispense(p3, "2024-02-01", 30));
        create(oralDispense(p3, "2024-03-02", 30));
        create(oralDispense(p3, "2024-04-01", 31));
        create(alt(p3, "2024-03-15", 150, 40));
        String p4 = patient("P4", "5602001");
        for (String day : List.of("2024-02-10", "2024-03-11", "2024-04-10", "2024-05-10", "2024-06-09", "2024-07-09",
                "2024-08-08")) {
            create(oralDispense(p4, day, 30));
        }
        create(positiveOpioidScreen(p4, "2024-04-20"));
        String p5 = patient("P5", "7200002");
        create(injection(p5, "2023-12-20"));
        cohort.addAll(List.of(p1, p2, p3, p4, p5));
    }

    @Test
    void everyMeasureMatchesTheHandCount() {
        MeasureReport report = outcomes("2024-01-01", "2024-03-31");

        assertThat(report.getStatus()).isEqualTo(MeasureReport.MeasureReportStatus.COMPLETE);
        assertThat(report.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
        assertCounts(report, "retention-30", 4, 4, 3);
        assertCounts(report, "retention-90", 4, 4, 3);
        assertCounts(report, "retention-180", 4, 4, 2);
        assertCounts(report, "injection-on-time", 4, 7, 6);
        assertCounts(report, "oral-pdc-adherent", 4, 2, 1);
        assertCounts(report, "relapse-signal", 4, 4, 1);
        assertCounts(report, "opioid-order-during-blockade", 4, 4, 1);
        assertCounts(report, "liver-elevation", 4, 4, 1);
        assertCounts(report, "overdose-event", 4, 4, 1);
        assertThat(group(report, "oral-pdc-mean").getMeasureScore().getValue().doubleValue())
                .isCloseTo((91.0 / 180 + 1.0) / 2, org.assertj.core.data.Offset.offset(0.001));
        assertThat(group(report, "opioid-order-during-blockade").getPopulation())
                .anyMatch(p -> p.getCode().getCodingFirstRep().getCode().equals("measure-observation")
                        && p.getCount() == 1);
    }

    @Test
    void stratifiesByFormulationAndIndication() {
        MeasureReport report = outcomes("2024-01-01", "2024-03-31");
        MeasureReport.MeasureReportGroupComponent retention30 = group(report, "retention-30");
        MeasureReport.StratifierGroupComponent injection = stratum(retention30, "formulation", "injection");
        assertThat(count(injection.getPopulation(), "denominator")).isEqualTo(2);
        assertThat(count(injection.getPopulation(), "numerator")).isEqualTo(1);
        MeasureReport.StratifierGroupComponent aud = stratum(retention30, "indication", "aud");
        assertThat(count(aud.getPopulation(), "initial-population")).isEqualTo(1);
        assertThat(count(aud.getPopulation(), "numerator")).isEqualTo(1);
    }

    @Test
    void restrictsTheCohortToAGroupsMembers() {
        Group group = new Group().setType(Group.GroupType.PERSON).setActual(true);
        group.addMember().setEntity(new Reference("Patient/" + cohort.get(0)));
        group.addMember().setEntity(new Reference("Patient/" + cohort.get(1)));
        String groupId = ((IdType) client.create().resource(group).execute().getId()).getIdPart();

        MeasureReport report = client.operation().onInstance(new IdType("Group", groupId))
                .named("$naltrexone-outcomes")
                .withParameter(Parameters.class, "start", new org.hl7.fhir.r4.model.DateType("2024-01-01"))
                .andParameter("end", new org.hl7.fhir.r4.model.DateType("2024-03-31"))
                .returnResourceType(MeasureReport.class).useHttpGet().execute();
        assertCounts(report, "retention-30", 2, 2, 1);
        assertCounts(report, "injection-on-time", 2, 7, 6);
    }

    @Test
    void exportsOneDeidentifiedRowPerPatient() throws Exception {
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        FhirTestClient.baseUrl(port) + "/$naltrexone-outcomes-export?start=2024-01-01&end=2024-03-31"))
                .header("Accept", "text/csv").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(csv.statusCode()).isEqualTo(200);
        List<String> lines = Arrays.stream(csv.body().split("\n")).filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).isEqualTo(DeidentifiedExport.HEADER);
        assertThat(lines).hasSize(5);
        for (String id : cohort) {
            assertThat(csv.body()).doesNotContain("Patient/" + id).doesNotContainPattern("(^|,)" + id + "(,|$)");
        }
        assertThat(csv.body()).doesNotContain("Cohort-").doesNotContain("2024-");
        // P3: oral, AUD, 91 days covered, retained 30 and 90 but not 180, PDC 0.506, ALT elevation on day 43.
        assertThat(lines).anyMatch(l -> l.matches("[0-9a-f]{16},oral,aud,91,1,1,0,0,0,0.506,NA,0,43,NA"));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private MeasureReport outcomes(String start, String end) {
        return client.operation().onServer().named("$naltrexone-outcomes")
                .withParameter(Parameters.class, "start", new org.hl7.fhir.r4.model.DateType(start))
                .andParameter("end", new org.hl7.fhir.r4.model.DateType(end))
                .returnResourceType(MeasureReport.class).useHttpGet().execute();
    }

    private static void assertCounts(MeasureReport report, String measure, int cohort, int denominator, int numerator) {
        MeasureReport.MeasureReportGroupComponent group = group(report, measure);
        assertThat(count(group.getPopulation(), "initial-population")).as(measure + " cohort").isEqualTo(cohort);
        assertThat(count(group.getPopulation(), "denominator")).as(measure + " denominator").isEqualTo(denominator);
        assertThat(count(group.getPopulation(), "numerator")).as(measure + " numerator").isEqualTo(numerator);
    }

    @Test
    void theDailyRetentionCurveAgreesWithTheThirtyNinetyAndHundredEightyDayMeasures() {
        MeasureReport report = outcomes("2024-01-01", "2024-03-31");
        MeasureReport.MeasureReportGroupComponent curve = group(report, "retention-curve");
        for (String formulation : List.of("injection", "oral")) {
            MeasureReport.StratifierGroupComponent dayZero = stratum(curve, formulation, "0");
            assertThat(count(dayZero.getPopulation(), "numerator")).as("everyone is retained on day 0")
                    .isEqualTo(count(dayZero.getPopulation(), "denominator"));
            for (int day : List.of(30, 90, 180)) {
                MeasureReport.StratifierGroupComponent measure = stratum(group(report, "retention-" + day),
                        "formulation", formulation);
                List<MeasureReport.StratifierGroupComponent> onDay = curve.getStratifier().stream()
                        .filter(s -> s.getCodeFirstRep().getText().equals(formulation))
                        .flatMap(s -> s.getStratum().stream())
                        .filter(s -> s.getValue().getText().equals(Integer.toString(day))).toList();
                int atRisk = onDay.isEmpty() ? 0 : count(onDay.get(0).getPopulation(), "denominator");
                int retained = onDay.isEmpty() ? 0 : count(onDay.get(0).getPopulation(), "numerator");
                assertThat(atRisk).as(formulation + " day " + day).isEqualTo(count(measure.getPopulation(), "denominator"));
                assertThat(retained).as(formulation + " day " + day).isEqualTo(count(measure.getPopulation(), "numerator"));
            }
            // A point for every day of follow-up, not four.
            List<MeasureReport.StratifierGroupComponent> days = curve.getStratifier().stream()
                    .filter(s -> s.getCodeFirstRep().getText().equals(formulation))
                    .flatMap(s -> s.getStratum().stream()).toList();
            assertThat(days.size()).isGreaterThan(180);
        }
    }

    private static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, String code) {
        return report.getGroup().stream().filter(g -> g.getCode().getCodingFirstRep().getCode().equals(code))
                .findFirst().orElseThrow(() -> new AssertionError("no group " + code));
    }

    private static MeasureReport.StratifierGroupComponent stratum(MeasureReport.MeasureReportGroupComponent group,
                                                                  String dimension, String value) {
        return group.getStratifier().stream().filter(s -> s.getCodeFirstRep().getText().equals(dimension))
                .flatMap(s -> s.getStratum().stream()).filter(s -> s.getValue().getText().equals(value))
                .findFirst().orElseThrow();
    }

    private static int count(List<?> populations, String code) {
        for (Object p : populations) {
            if (p instanceof MeasureReport.MeasureReportGroupPopulationComponent g
                    && g.getCode().getCodingFirstRep().getCode().equals(code)) {
                return g.getCount();
            }
            if (p instanceof MeasureReport.StratifierGroupPopulationComponent s
                    && s.getCode().getCodingFirstRep().getCode().equals(code)) {
                return s.getCount();
            }
        }
        throw new AssertionError("no population " + code);
    }

    private String patient(String label, String diagnosisSnomed) {
        Patient patient = new Patient();
        patient.addName().setFamily("Cohort-" + label);
        String id = ((IdType) client.create().resource(patient).execute().getId()).getIdPart();
        Condition condition = new Condition();
        condition.setSubject(new Reference("Patient/" + id));
        condition.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", diagnosisSnomed, null)));
        condition.setClinicalStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        create(condition);
        return id;
    }

    private void create(Resource resource) {
        client.create().resource(resource).execute();
    }

    private static MedicationAdministration injection(String patientId, String day) {
        MedicationAdministration a = new MedicationAdministration();
        a.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        a.setSubject(new Reference("Patient/" + patientId));
        a.setMedication(new CodeableConcept(new Coding(RXNORM, "637213", "naltrexone 380 MG Injection")));
        a.setEffective(new DateTimeType(day + "T10:00:00Z"));
        return a;
    }

    private static MedicationDispense oralDispense(String patientId, String day, int daysSupply) {
        MedicationDispense d = new MedicationDispense();
        d.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
        d.setSubject(new Reference("Patient/" + patientId));
        d.setMedication(new CodeableConcept(new Coding(RXNORM, "1483744", "naltrexone 50 MG Oral Tablet")));
        d.setWhenHandedOverElement(new DateTimeType(day + "T10:00:00Z"));
        d.setDaysSupply((SimpleQuantity) new SimpleQuantity().setValue(daysSupply).setSystem("http://unitsofmeasure.org")
                .setCode("d"));
        return d;
    }

    private static MedicationRequest opioidOrder(String patientId, String day) {
        MedicationRequest r = new MedicationRequest();
        r.setStatus(MedicationRequest.MedicationRequestStatus.COMPLETED);
        r.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        r.setSubject(new Reference("Patient/" + patientId));
        r.setMedication(new CodeableConcept(new Coding(RXNORM, "1049683", "oxyCODONE 10 MG Oral Tablet")));
        r.setAuthoredOnElement(new DateTimeType(day + "T10:00:00Z"));
        return r;
    }

    private static MedicationAdministration naloxoneGiven(String patientId, String day) {
        MedicationAdministration a = injection(patientId, day);
        a.setMedication(new CodeableConcept(new Coding(RXNORM, "1191222", "naloxone 0.4 MG/ML Injectable Solution")));
        return a;
    }

    private static Observation alt(String patientId, String day, double value, double uln) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/" + patientId));
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "1742-6", "ALT")));
        o.setEffective(new DateTimeType(day + "T08:00:00Z"));
        o.setValue(new Quantity().setValue(value).setSystem("http://unitsofmeasure.org").setCode("U/L"));
        o.addReferenceRange().setHigh((SimpleQuantity) new SimpleQuantity().setValue(uln).setCode("U/L"));
        return o;
    }

    private static Observation positiveOpioidScreen(String patientId, String day) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/" + patientId));
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "19295-5", "Opiates [Presence] in Urine by Screen")));
        o.setEffective(new DateTimeType(day + "T08:00:00Z"));
        o.setValue(new StringType("positive"));
        return o;
    }
}
