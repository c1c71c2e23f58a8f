package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-query read of a patient's record ({@link PatientReferenceIndex}) must return exactly what HAPI's
 * {@code {type}?patient={id}} searches return: same resources, same versions, with updates, a resource moved to
 * another patient, deletions, and references to the patient from elements other than {@code subject}. Checked on
 * PostgreSQL for purpose-made patients and for every patient other tests left in the store.
 */
@IntegrationTest
class PatientReferenceIndexIT {

    static final Set<String> TYPES = PatientReferenceIndex.SUBJECT_PATHS.keySet();
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    LocalFhirSource store;

    IGenericClient client;

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
    }

    @Test
    void givesWhatTheSearchesGiveThroughUpdatesMovesAndDeletes() {
        String a = newPatient();
        String b = newPatient();
        MedicationRequest order = (MedicationRequest) create(new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setMedication(naltrexone()).setSubject(new Reference("Patient/" + a)));
        create(new MedicationAdministration().setStatus(
                        MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                .setMedication(naltrexone()).setSubject(new Reference("Patient/" + a)));
        create(new MedicationDispense().setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED)
                .setMedication(naltrexone()).setSubject(new Reference("Patient/" + a)));
        create(new MedicationStatement().setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                .setMedication(naltrexone()).setSubject(new Reference("Patient/" + a)));
        create(new Condition().setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", "F11.20",
                null))).setSubject(new Reference("Patient/" + a)));
        Observation alt = (Observation) create(alt(a, 30));
        Observation deleted = (Observation) create(alt(a, 200));
        // About patient b, recorded by patient a: a's record must not include it.
        Observation aboutB = alt(b, 55);
        aboutB.addPerformer(new Reference("Patient/" + a));
        create(aboutB);

        assertSameAsSearches(a);
        assertSameAsSearches(b);

        alt.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(44).setUnit("U/L"));
        client.update().resource(alt).execute();
        order.setSubject(new Reference("Patient/" + b));
        client.update().resource(order).execute();
        client.delete().resourceById(deleted.getIdElement().toUnqualifiedVersionless()).execute();

        Map<String, Set<String>> afterChanges = assertSameAsSearches(a);
        assertThat(afterChanges.get("Observation")).hasSize(1).allMatch(id -> id.endsWith("/_history/2"));
        assertThat(afterChanges.get("MedicationRequest")).isEmpty();
        assertThat(assertSameAsSearches(b).get("MedicationRequest")).hasSize(1);
    }

    @Test
    void givesWhatTheSearchesGiveForEveryPatientInTheStore() {
        Bundle patients = client.search().forResource(Patient.class).count(200).returnBundle(Bundle.class).execute();
        assertThat(patients.getEntry()).isNotEmpty();
        for (Bundle.BundleEntryComponent entry : patients.getEntry()) {
            assertSameAsSearches(entry.getResource().getIdElement().getIdPart());
        }
    }

    @Test
    void withCodesGivesTheObservationsTheCodeAndComponentCodeSearchesGiveTogether() {
        String patient = newPatient();
        create(alt(patient, 30));
        Observation heartRate = vitalSign(patient, "8867-4");
        create(heartRate);
        // A panel under a local code whose component is ALT: found by its component only.
        Observation panel = vitalSign(patient, "LOCAL-LFT");
        panel.getCode().getCodingFirstRep().setSystem("urn:oid:1.2.3.4");
        panel.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "1742-6", "ALT")))
                .setValue(new org.hl7.fhir.r4.model.Quantity().setValue(300).setUnit("U/L"));
        create(panel);
        // The code under another system still counts (a superset, as a search without a system).
        Observation otherSystem = alt(patient, 20);
        otherSystem.getCode().getCodingFirstRep().setSystem("urn:oid:9.9.9");
        create(otherSystem);
        create(new Condition().setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", "K72.0",
                null))).setSubject(new Reference("Patient/" + patient)));

        Set<String> codes = Set.of("1742-6", "1920-8");
        Map<String, List<Resource>> atOnce = store.searchByPatient(patient, TYPES, codes).orElseThrow().byType();

        String list = String.join(",", new TreeSet<>(codes));
        Set<String> searched = new TreeSet<>(versionedIds(store.search("Observation?patient=" + patient
                + "&code=" + list)));
        searched.addAll(versionedIds(store.search("Observation?patient=" + patient + "&component-code=" + list)));
        assertThat(versionedIds(atOnce.get("Observation"))).isEqualTo(searched).hasSize(3)
                .doesNotContain(heartRate.getIdElement().toUnqualified().getValue());
        // The other types are read whole, as without codes.
        assertThat(versionedIds(atOnce.get("Condition")))
                .isEqualTo(versionedIds(store.search("Condition?patient=" + patient))).hasSize(1);
    }

    @Test
    void declinesForAPatientItDoesNotKnowAndForTypesItDoesNotCover() {
        assertThat(store.searchByPatient("no-such-patient-" + UUID.randomUUID(), TYPES)).isEmpty();
        assertThat(store.searchByPatient(newPatient(), Set.of("Encounter"))).isEmpty();
    }

    /** Compares type by type, as versioned ids; returns what both gave. */
    private Map<String, Set<String>> assertSameAsSearches(String patientId) {
        Map<String, List<Resource>> atOnce = store.searchByPatient(patientId, TYPES).orElseThrow().byType();
        assertThat(atOnce.keySet()).isEqualTo(TYPES);
        for (String type : TYPES) {
            assertThat(versionedIds(atOnce.get(type))).as("%s for Patient/%s", type, patientId)
                    .isEqualTo(versionedIds(store.search(type + "?patient=" + patientId)));
        }
        return atOnce.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> versionedIds(e.getValue())));
    }

    private static Set<String> versionedIds(List<Resource> resources) {
        return resources.stream().map(r -> r.getIdElement().toUnqualified().getValue())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private String newPatient() {
        String id = "index-" + UUID.randomUUID().toString().substring(0, 8);
        Patient patient = new Patient();
        patient.setId(new IdType("Patient", id));
        client.update().resource(patient).execute();
        return id;
    }

    private Resource create(Resource resource) {
        IdType id = (IdType) client.create().resource(resource).execute().getId();
        resource.setId(id);
        return resource;
    }

    private static CodeableConcept naltrexone() {
        return new CodeableConcept(new Coding(RXNORM, "1483744", "naltrexone hydrochloride 50 MG Oral Tablet"));
    }

    private static Observation vitalSign(String patientId, String loinc) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        o.setSubject(new Reference("Patient/" + patientId));
        o.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(72).setUnit("/min"));
        return o;
    }

    private static Observation alt(String patientId, double value) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "1742-6", "ALT")));
        o.setSubject(new Reference("Patient/" + patientId));
        o.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(value).setUnit("U/L"));
        return o;
    }
}
