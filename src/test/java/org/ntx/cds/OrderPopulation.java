package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.cohort.SyntheticCohort;
import org.ntx.terminology.MedicationClassifier;
import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Generated patients and the opioid and naltrexone orders a prescriber signs for them, for the alert-burden report.
 * Each patient arrives as a FHIR transaction Bundle with {@code urn:uuid} references (our {@link SyntheticCohort},
 * or a Synthea output folder: the same shape), rewritten here to plain {@code Type/id} references. The order-signs
 * are every opioid or naltrexone MedicationRequest in the record, re-played at its authoring time against what was
 * recorded before it; the synthetic cohort adds two orders at its "today": oxycodone for acute pain, and a
 * naltrexone renewal of the patient's formulation.
 */
interface OrderPopulation {

    /** A patient's record and the orders to sign. */
    record PatientData(String patientId, List<Resource> resources, List<Decision> decisions) {}

    /** One ordering decision: a draft signed at one moment, seeing the record up to then. */
    record Decision(Instant at, MedicationRequest draft, Kind kind) {}

    enum Kind { OPIOID, NALTREXONE }

    String name();

    Stream<PatientData> patients();

    /** Our synthetic cohort: {@code size} patients from {@code seed}, as of {@code asOf}. */
    static OrderPopulation synthetic(long seed, int size, Instant asOf, MedicationClassifier medications) {
        SyntheticCohort cohort = new SyntheticCohort(seed, asOf);
        return new OrderPopulation() {
            @Override
            public String name() {
                return "synthetic cohort (seed " + seed + ", " + size + " patients, as of " + asOf + ")";
            }

            @Override
            public Stream<PatientData> patients() {
                return java.util.stream.IntStream.range(0, size).mapToObj(i -> {
                    PatientData data = fromBundle("syn" + i, cohort.patient(i), medications);
                    return withTodaysOrders(data, asOf.plus(10, ChronoUnit.HOURS), medications);
                });
            }
        };
    }

    /**
     * A Synthea output folder ({@code output/fhir/*.json}, one transaction Bundle per patient; the hospital and
     * practitioner bundles are skipped). Its orders are replayed as they are; Synthea writes no "today" orders.
     */
    static OrderPopulation fhirFolder(Path folder, FhirContext fhir, MedicationClassifier medications) {
        return new OrderPopulation() {
            @Override
            public String name() {
                return "Synthea output " + folder.getFileName();
            }

            @Override
            public Stream<PatientData> patients() {
                try {
                    List<Path> files;
                    try (Stream<Path> list = Files.list(folder)) {
                        files = list.filter(f -> f.toString().endsWith(".json"))
                                .filter(f -> !f.getFileName().toString().startsWith("hospitalInformation"))
                                .filter(f -> !f.getFileName().toString().startsWith("practitionerInformation"))
                                .sorted().toList();
                    }
                    int[] n = {0};
                    return files.stream().map(file -> {
                        try (Reader reader = Files.newBufferedReader(file)) {
                            Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, reader);
                            return fromBundle("sy" + n[0]++, bundle, medications);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /** What a patient's record is made of, for the rules. */
    java.util.Set<String> RECORD_TYPES = java.util.Set.of("Patient", "Medication", "MedicationRequest",
            "MedicationAdministration", "MedicationDispense", "MedicationStatement", "Observation", "Condition");

    /** Ids {@code prefix-N}, references rewritten, orders found. */
    private static PatientData fromBundle(String prefix, Bundle bundle, MedicationClassifier medications) {
        Map<String, String> references = new HashMap<>();
        String patientId = null;
        int n = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            String id = resource instanceof Patient ? prefix : prefix + "-" + n++;
            if (resource instanceof Patient) {
                patientId = id;
            }
            if (entry.hasFullUrl()) {
                references.put(entry.getFullUrl(), resource.fhirType() + "/" + id);
            }
            resource.setId(id);
        }
        FhirContext fhir = FhirContext.forR4Cached();
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (!RECORD_TYPES.contains(resource.fhirType())) {
                continue; // encounters, claims, care plans...: the rules read none of them
            }
            for (Reference reference : fhir.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                String target = references.get(reference.getReference());
                if (target != null) {
                    reference.setReference(target);
                }
            }
            resources.add(resource);
        }
        Map<String, org.hl7.fhir.r4.model.Medication> products = products(resources);
        List<Decision> decisions = new ArrayList<>();
        for (Resource resource : resources) {
            if (resource instanceof MedicationRequest order && order.hasAuthoredOn()) {
                kind(order, products, medications).ifPresent(kind -> decisions.add(
                        new Decision(order.getAuthoredOn().toInstant(), asDraft(order), kind)));
            }
        }
        return new PatientData(patientId, resources, decisions);
    }

    /** The cohort's "today": an oxycodone order for acute pain, and a renewal of the naltrexone order. */
    private static PatientData withTodaysOrders(PatientData data, Instant today, MedicationClassifier medications) {
        List<Decision> decisions = new ArrayList<>(data.decisions());
        MedicationRequest oxycodone = new MedicationRequest();
        oxycodone.setId("today-opioid");
        oxycodone.setSubject(new Reference("Patient/" + data.patientId()));
        oxycodone.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        oxycodone.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        oxycodone.setMedication(new CodeableConcept().addCoding(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm",
                "1049683", "oxyCODONE Hydrochloride 10 MG Oral Tablet")));
        oxycodone.addDosageInstruction(new Dosage().setRoute(new CodeableConcept().addCoding(new Coding(
                        "http://snomed.info/sct", "26643006", "Oral route"))))
                .getDosageInstructionFirstRep().addDoseAndRate().setDose(new Quantity().setValue(10).setUnit("mg")
                        .setSystem("http://unitsofmeasure.org").setCode("mg"));
        decisions.add(new Decision(today, oxycodone, Kind.OPIOID));
        data.resources().stream()
                .filter(r -> r instanceof MedicationRequest order && kind(order, products(data.resources()),
                        medications).filter(Kind.NALTREXONE::equals).isPresent())
                .findFirst()
                .map(r -> {
                    MedicationRequest renewal = asDraft((MedicationRequest) r);
                    renewal.setId("today-naltrexone");
                    renewal.setAuthoredOn(Date.from(today));
                    return renewal;
                })
                .ifPresent(renewal -> decisions.add(new Decision(today, renewal, Kind.NALTREXONE)));
        return new PatientData(data.patientId(), data.resources(), decisions);
    }

    /** The Medication resources of a record, by reference ({@code Medication/id}). */
    static Map<String, org.hl7.fhir.r4.model.Medication> products(List<Resource> resources) {
        Map<String, org.hl7.fhir.r4.model.Medication> products = new HashMap<>();
        for (Resource resource : resources) {
            if (resource instanceof org.hl7.fhir.r4.model.Medication medication) {
                products.put("Medication/" + medication.getIdElement().getIdPart(), medication);
            }
        }
        return products;
    }

    /** A medication resource's product codes: its CodeableConcept, or the code of the Medication it references. */
    static List<Code> codes(org.hl7.fhir.r4.model.Type medication, Map<String, org.hl7.fhir.r4.model.Medication> products) {
        CodeableConcept concept = medication instanceof CodeableConcept c ? c
                : medication instanceof Reference r && products.containsKey(r.getReference())
                        ? products.get(r.getReference()).getCode() : null;
        return concept == null ? List.of() : concept.getCoding().stream()
                .map(c -> new Code(c.getSystem(), c.getCode())).toList();
    }

    private static Optional<Kind> kind(MedicationRequest order, Map<String, org.hl7.fhir.r4.model.Medication> products,
                                       MedicationClassifier medications) {
        List<Code> codes = codes(order.getMedication(), products);
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        DrugClass drugClass = medications.classify(codes, Optional.empty());
        if (drugClass.isOpioid()) {
            return Optional.of(Kind.OPIOID);
        }
        return drugClass.containsNaltrexone() ? Optional.of(Kind.NALTREXONE) : Optional.empty();
    }

    private static MedicationRequest asDraft(MedicationRequest order) {
        MedicationRequest draft = order.copy();
        draft.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        draft.setMeta(null);
        return draft;
    }

    /** When a resource happened, to cut the record at a decision; empty for resources without a time. */
    static Optional<Instant> when(Resource resource) {
        Date date = null;
        if (resource instanceof MedicationAdministration a && a.hasEffectiveDateTimeType()) {
            date = a.getEffectiveDateTimeType().getValue();
        } else if (resource instanceof MedicationDispense d) {
            date = d.hasWhenHandedOver() ? d.getWhenHandedOver() : d.getWhenPrepared();
        } else if (resource instanceof MedicationRequest r) {
            date = r.getAuthoredOn();
        } else if (resource instanceof MedicationStatement s && s.hasEffectiveDateTimeType()) {
            date = s.getEffectiveDateTimeType().getValue();
        } else if (resource instanceof MedicationStatement s && s.hasEffectivePeriod()) {
            date = s.getEffectivePeriod().getStart();
        } else if (resource instanceof Observation o && o.hasEffectiveDateTimeType()) {
            date = o.getEffectiveDateTimeType().getValue();
        } else if (resource instanceof Condition c) {
            date = c.hasRecordedDate() ? c.getRecordedDate() : null;
        }
        return Optional.ofNullable(date).map(Date::toInstant);
    }
}
