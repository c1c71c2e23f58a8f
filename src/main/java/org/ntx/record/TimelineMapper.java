package org.ntx.record;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;
import org.ntx.terminology.ConditionClassifier;
import org.ntx.terminology.LabClassifier;
import org.ntx.terminology.MedicationClassifier;
import org.ntx.terminology.MedicationDescription;
import org.ntx.terminology.MedicationRecognition;
import org.ntx.timeline.Code;
import org.ntx.timeline.ConditionClass;
import org.ntx.timeline.ConditionRecord;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.ntx.timeline.RecognisedFrom;
import org.ntx.timeline.Shortfall;
import org.ntx.timeline.SourceRef;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * FHIR to timeline, once per request, at the edge: after this nothing downstream sees a FHIR type. Codes are
 * classified here (naltrexone? opioid? liver test?), statuses normalised, dates and supply durations read, and
 * {@code medicationReference} resolved: contained ({@code #id}), or a Medication read beforehand (an entry of the
 * prefetch or search bundle, {@code _include}d or not, by relative, absolute or {@code urn:uuid} reference, or read
 * from the source). Everything the record says about the medication is handed to the terminology layer together:
 * every coding, the texts and displays, the Medication's dose form and strength, the route and the dose.
 */
public class TimelineMapper {

    /** Digits a quantity may have before and after the decimal point to be read; see {@link #plausible}. */
    static final int MAX_QUANTITY_DIGITS = 12;

    private final MedicationClassifier medications;
    private final LabClassifier labs;
    private final ConditionClassifier conditions;

    public TimelineMapper(MedicationClassifier medications, LabClassifier labs, ConditionClassifier conditions) {
        this.medications = medications;
        this.labs = labs;
        this.conditions = conditions;
    }

    /** Everything known about one patient, with what could not be read. */
    public PatientTimeline timeline(String patientId, List<Resource> resources, Set<DataKind> unavailable,
                                    MedicationLookup lookup) {
        return timeline(patientId, resources, unavailable, Map.of(), lookup);
    }

    private PatientTimeline timeline(String patientId, List<Resource> resources, Set<DataKind> unavailable,
                                     Map<DataKind, Shortfall> shortfalls, MedicationLookup lookup) {
        List<MedicationEvent> medicationEvents = new ArrayList<>();
        List<LabResult> labResults = new ArrayList<>();
        List<ConditionRecord> conditionRecords = new ArrayList<>();
        for (Resource resource : resources) {
            if (resource instanceof Observation observation) {
                labResults.addAll(labResults(observation));
            } else if (resource instanceof Condition condition) {
                conditionRecord(condition).ifPresent(conditionRecords::add);
            } else {
                medicationEvent(resource, lookup, Optional.empty()).ifPresent(medicationEvents::add);
            }
        }
        return new PatientTimeline(patientId, medicationEvents, labResults, conditionRecords, unavailable,
                shortfalls);
    }

    PatientTimeline timeline(PatientRecord record) {
        List<Resource> all = new ArrayList<>();
        record.resources().values().forEach(all::addAll);
        Set<DataKind> unavailable = EnumSet.noneOf(DataKind.class);
        Map<DataKind, Shortfall> shortfalls = new EnumMap<>(DataKind.class);
        for (RecordPart key : record.unavailable()) {
            unavailable.add(dataKind(key));
            // Of several parts of one kind, the plainest reason counts: "could not be read" before "not in time".
            shortfalls.merge(dataKind(key), record.shortfall(key), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        return timeline(record.patientId(), all, unavailable, shortfalls, record::medication);
    }

    /** The laboratory codes the rules read: an Observation with none of them is never read, so need not be fetched. */
    Set<Code> labCodesRead() {
        return labs.recognisedCodes();
    }

    /**
     * The clinician's draft orders as timeline events, dated {@code asOf}. A draft without a subject belongs to the
     * patient in context (real clients leave it out); a draft for another patient keeps its own subject and is
     * ignored by the rules.
     */
    public List<MedicationEvent> drafts(String contextPatientId, List<Resource> draftOrders, Instant asOf,
                                        MedicationLookup lookup) {
        List<MedicationEvent> drafts = new ArrayList<>();
        for (Resource resource : draftOrders) {
            if (resource instanceof MedicationRequest request) {
                String subject = request.getSubject().hasReference()
                        ? patientId(request.getSubject()).orElse("")
                        : contextPatientId;
                MedicationRequest copy = request.copy();
                copy.setSubject(new Reference("Patient/" + subject));
                copy.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
                if (!copy.hasIdElement() || copy.getIdElement().getIdPart() == null) {
                    copy.setId("draft-" + drafts.size());
                }
                medicationEvent(copy, lookup, Optional.of(asOf)).ifPresent(drafts::add);
            }
        }
        return drafts;
    }

    /** Finds a referenced Medication resource ({@code Medication/123}) that was fetched beforehand. */
    @FunctionalInterface
    public interface MedicationLookup {
        Optional<Medication> find(String reference);
    }

    private static DataKind dataKind(RecordPart key) {
        return switch (key) {
            case LAB_OBSERVATIONS -> DataKind.OBSERVATIONS;
            case CONDITIONS -> DataKind.CONDITIONS;
            default -> DataKind.MEDICATIONS;
        };
    }

    // --- medications --------------------------------------------------------------------------------------------

    private Optional<MedicationEvent> medicationEvent(Resource resource, MedicationLookup lookup,
                                                      Optional<Instant> draftTime) {
        MedicationFacts facts;
        if (resource instanceof MedicationRequest r) {
            facts = orderFacts(r, draftTime);
        } else if (resource instanceof MedicationAdministration a) {
            facts = administrationFacts(a);
        } else if (resource instanceof MedicationDispense d) {
            facts = dispenseFacts(d);
        } else if (resource instanceof MedicationStatement s) {
            facts = statementFacts(s);
        } else {
            return Optional.empty();
        }
        Optional<String> patientId = patientId(facts.subject());
        if (patientId.isEmpty() || facts.start().isEmpty()) {
            return Optional.empty();
        }
        MedicationText medication = medicationCodes(resource, facts.medication(), lookup);
        MedicationRecognition recognition = medications.recognise(new MedicationDescription(medication.codes(),
                medication.texts(), medication.doseForm(), facts.route(), medication.strengthMg(), facts.doseMg()));
        DrugClass drugClass = recognition.drugClass();
        String display = medication.display();
        if (draftTime.isPresent() && !medication.readable()) {
            drugClass = DrugClass.UNCLASSIFIED;
            display = display + ": the medication it points to could not be read";
        } else if (drugClass == DrugClass.UNCLASSIFIED) {
            display = display + ": " + recognition.unreadable().orElse("could not be classified");
        }
        return Optional.of(new MedicationEvent(patientId.get(),
                source(resource), facts.kind(), facts.status(), drugClass, display, recognition.codes(),
                facts.start().get(), facts.end(), facts.daysSupply(), facts.doseMg(), facts.route(),
                drugClass == recognition.drugClass() ? recognition.recognisedFrom() : RecognisedFrom.TEXT,
                recognition.exposurePerUse(), facts.refills()));
    }

    private record MedicationFacts(
            MedicationEvent.Kind kind, MedicationEvent.Status status, Reference subject, Type medication,
            Optional<Instant> start, Optional<Instant> end, Optional<Integer> daysSupply, Optional<BigDecimal> doseMg,
            Optional<String> route, Optional<Integer> refills) {

        MedicationFacts(MedicationEvent.Kind kind, MedicationEvent.Status status, Reference subject, Type medication,
                Optional<Instant> start, Optional<Instant> end, Optional<Integer> daysSupply,
                Optional<BigDecimal> doseMg, Optional<String> route) {
            this(kind, status, subject, medication, start, end, daysSupply, doseMg, route, Optional.empty());
        }
    }

    private static MedicationFacts orderFacts(MedicationRequest order, Optional<Instant> draftTime) {
        Optional<Instant> start = draftTime.isPresent() ? draftTime
                : instant(order.getAuthoredOn())
                        .or(() -> instant(order.getDispenseRequest().getValidityPeriod().getStart()))
                        .or(() -> instant(order.getMeta().getLastUpdated()));
        Optional<Instant> end = instant(order.getDispenseRequest().getValidityPeriod().getEnd());
        Optional<Dosage> dosage = order.getDosageInstruction().stream().findFirst();
        if (end.isEmpty() && dosage.isPresent() && dosage.get().getTiming().getRepeat().hasBoundsPeriod()) {
            end = instant(dosage.get().getTiming().getRepeat().getBoundsPeriod().getEnd());
        }
        Optional<Integer> supply = order.getDispenseRequest().hasExpectedSupplyDuration()
                ? days(order.getDispenseRequest().getExpectedSupplyDuration())
                : Optional.empty();
        Optional<Integer> refills = order.getDispenseRequest().hasNumberOfRepeatsAllowed()
                ? Optional.of(Math.max(0, order.getDispenseRequest().getNumberOfRepeatsAllowed()))
                : Optional.empty();
        return new MedicationFacts(MedicationEvent.Kind.ORDER,
                draftTime.isPresent() ? MedicationEvent.Status.DRAFT : status(order.getStatus() == null ? null
                        : order.getStatus().toCode()),
                order.getSubject(), order.getMedication(), start, end, supply,
                dosage.flatMap(TimelineMapper::doseMg), dosage.flatMap(TimelineMapper::routeOrInstructions),
                refills);
    }

    private static MedicationFacts administrationFacts(MedicationAdministration administration) {
        Optional<Instant> start = administration.hasEffectiveDateTimeType()
                ? instant(administration.getEffectiveDateTimeType().getValue())
                : administration.hasEffectivePeriod()
                        ? instant(administration.getEffectivePeriod().getStart())
                        : Optional.empty();
        // An infusion's or an implant's period end (the implant's removal) ends the exposure it records.
        Optional<Instant> end = administration.hasEffectivePeriod()
                ? instant(administration.getEffectivePeriod().getEnd())
                : Optional.empty();
        MedicationAdministration.MedicationAdministrationDosageComponent dosage = administration.getDosage();
        Optional<String> route = text(dosage.getRoute())
                .or(() -> dosage.hasText() ? Optional.of(dosage.getText()) : Optional.empty());
        return new MedicationFacts(MedicationEvent.Kind.ADMINISTRATION,
                status(administration.getStatus() == null ? null : administration.getStatus().toCode()),
                administration.getSubject(), administration.getMedication(), start, end,
                Optional.empty(), dosage.hasDose() ? mg(dosage.getDose()) : Optional.empty(), route);
    }

    private static MedicationFacts dispenseFacts(MedicationDispense dispense) {
        Optional<Instant> start = instant(dispense.getWhenHandedOver())
                .or(() -> instant(dispense.getWhenPrepared()));
        Optional<Dosage> dosage = dispense.getDosageInstruction().stream().findFirst();
        return new MedicationFacts(MedicationEvent.Kind.DISPENSE,
                status(dispense.getStatus() == null ? null : dispense.getStatus().toCode()),
                dispense.getSubject(), dispense.getMedication(), start, Optional.empty(),
                dispense.hasDaysSupply() ? days(dispense.getDaysSupply()) : Optional.empty(),
                dosage.flatMap(TimelineMapper::doseMg), dosage.flatMap(TimelineMapper::routeOrInstructions));
    }

    private static MedicationFacts statementFacts(MedicationStatement statement) {
        Optional<Instant> start;
        Optional<Instant> end = Optional.empty();
        if (statement.hasEffectivePeriod()) {
            start = instant(statement.getEffectivePeriod().getStart());
            end = instant(statement.getEffectivePeriod().getEnd());
        } else if (statement.hasEffectiveDateTimeType()) {
            start = instant(statement.getEffectiveDateTimeType().getValue());
        } else {
            start = instant(statement.getDateAsserted());
        }
        if (start.isEmpty()) {
            start = instant(statement.getDateAsserted());
        }
        Optional<Dosage> dosage = statement.getDosage().stream().findFirst();
        return new MedicationFacts(MedicationEvent.Kind.STATEMENT,
                status(statement.getStatus() == null ? null : statement.getStatus().toCode()),
                statement.getSubject(), statement.getMedication(), start, end, Optional.empty(),
                dosage.flatMap(TimelineMapper::doseMg), dosage.flatMap(TimelineMapper::routeOrInstructions));
    }

    /** What a record says about its medication, after following its reference. */
    private record MedicationText(Set<Code> codes, List<String> texts, String display, Optional<String> doseForm,
                                  Optional<BigDecimal> strengthMg, boolean readable) {}

    /** The route, else the free-text instructions ("inject 380 mg IM"), which say the route for many EHRs. */
    private static Optional<String> routeOrInstructions(Dosage dosage) {
        return text(dosage.getRoute()).or(() -> dosage.hasText() ? Optional.of(dosage.getText()) : Optional.empty());
    }

    /** Collects the product and ingredient codes, texts, dose form and strength, following references. */
    private static MedicationText medicationCodes(Resource owner, Type medication, MedicationLookup lookup) {
        Set<Code> codes = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        if (medication instanceof CodeableConcept concept) {
            addCodes(concept, codes);
            addTexts(concept, texts);
            return new MedicationText(codes, texts, display(concept), Optional.empty(), Optional.empty(),
                    !concept.isEmpty());
        }
        if (medication instanceof Reference reference && (reference.hasReference() || reference.hasDisplay())) {
            if (reference.hasDisplay()) {
                texts.add(reference.getDisplay());
            }
            Optional<Medication> resolved = reference.hasReference()
                    ? resolve(owner, reference, lookup) : Optional.empty();
            if (resolved.isPresent()) {
                Medication med = resolved.get();
                addCodes(med.getCode(), codes);
                addTexts(med.getCode(), texts);
                med.getIngredient().stream().filter(i -> i.hasItemCodeableConcept()).forEach(i -> {
                    addCodes(i.getItemCodeableConcept(), codes);
                    addTexts(i.getItemCodeableConcept(), texts);
                });
                Optional<BigDecimal> strength = med.getIngredient().stream()
                        .filter(i -> i.hasStrength() && i.getStrength().hasNumerator())
                        .map(i -> mg(i.getStrength().getNumerator()))
                        .flatMap(Optional::stream).findFirst();
                String display = med.getCode().isEmpty()
                        ? (reference.hasDisplay() ? reference.getDisplay() : "unnamed medication")
                        : display(med.getCode());
                return new MedicationText(codes, texts, display, text(med.getForm()), strength, true);
            }
            String display = reference.hasDisplay() ? reference.getDisplay() : reference.getReference();
            return new MedicationText(codes, texts, display, Optional.empty(), Optional.empty(),
                    reference.hasDisplay());
        }
        return new MedicationText(codes, texts, "unspecified medication", Optional.empty(), Optional.empty(), false);
    }

    private static void addTexts(CodeableConcept concept, List<String> texts) {
        if (concept == null) {
            return;
        }
        if (concept.hasText()) {
            texts.add(concept.getText());
        }
        concept.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).forEach(texts::add);
    }

    private static Optional<Medication> resolve(Resource owner, Reference reference, MedicationLookup lookup) {
        String ref = reference.getReference();
        if (ref.startsWith("#") && owner instanceof org.hl7.fhir.r4.model.DomainResource domain) {
            String id = ref.substring(1);
            return domain.getContained().stream()
                    .filter(Medication.class::isInstance)
                    .map(Medication.class::cast)
                    .filter(m -> id.equals(m.getIdElement().getIdPart()) || ref.equals(m.getId())
                            || id.equals(m.getId()))
                    .findFirst();
        }
        return lookup.find(ref).or(() -> MedicationIndex.relativeKey(ref).flatMap(lookup::find));
    }

    // --- observations and conditions ----------------------------------------------------------------------------

    /**
     * The liver tests and screens an Observation reports: itself, and each component coded as a liver test (labs that
     * send a hepatic panel as one Observation with components). Values as labs report them: a Quantity with its
     * comparator ({@code >1000}), or a string such as "&gt;1000 U/L"; no value with a dataAbsentReason; the unit's
     * conversion to U/L for ALT and AST (UCUM); a reference range given in another unit converted into the value's.
     */
    private List<LabResult> labResults(Observation observation) {
        Optional<String> patientId = patientId(observation.getSubject());
        Optional<Instant> effective = observation.hasEffectiveDateTimeType()
                ? instant(observation.getEffectiveDateTimeType().getValue())
                : observation.hasEffectivePeriod()
                        ? instant(observation.getEffectivePeriod().getStart())
                        : instant(observation.getIssued());
        if (patientId.isEmpty() || effective.isEmpty()) {
            return List.of();
        }
        LabResult.Status status = enumValue(LabResult.Status.class, observation.getStatus() == null ? null
                : observation.getStatus().toCode(), LabResult.Status.UNKNOWN);
        List<LabResult> results = new ArrayList<>();
        LabTest test = labTest(observation.getCode());
        if (test != LabTest.OTHER) {
            results.add(labResult(patientId.get(), source(observation), test, observation.getCode(), status,
                    effective.get(), observation.getValue(), observation.getDataAbsentReason(),
                    observation.getReferenceRange(), screenResult(observation)));
        }
        for (Observation.ObservationComponentComponent component : observation.getComponent()) {
            LabTest componentTest = labTest(component.getCode());
            if (componentTest.isLiverTest() && componentTest != LabTest.HEPATIC_FUNCTION_PANEL) {
                results.add(labResult(patientId.get(), source(observation), componentTest, component.getCode(),
                        status, effective.get(), component.getValue(), component.getDataAbsentReason(),
                        component.getReferenceRange(), Optional.empty()));
            }
        }
        return results;
    }

    private LabTest labTest(CodeableConcept code) {
        return code.getCoding().stream()
                .map(coding -> labs.classify(code(coding)))
                .filter(t -> t != LabTest.OTHER)
                .findFirst().orElse(LabTest.OTHER);
    }

    private static final java.util.regex.Pattern STRING_VALUE = java.util.regex.Pattern.compile(
            "^\\s*(<=|>=|<|>)?\\s*(\\d+(?:\\.\\d+)?)\\s*(\\S+)?\\s*$");

    private LabResult labResult(String patientId, SourceRef source, LabTest test, CodeableConcept code,
                                LabResult.Status status, Instant effective, Type valueElement,
                                CodeableConcept absentReason,
                                List<Observation.ObservationReferenceRangeComponent> ranges,
                                Optional<LabResult.ScreenResult> screen) {
        Optional<BigDecimal> value = Optional.empty();
        Optional<String> unit = Optional.empty();
        Optional<LabResult.Comparator> comparator = Optional.empty();
        if (valueElement instanceof Quantity quantity && quantity.hasValue()) {
            value = plausible(quantity.getValue());
            unit = quantityUnit(quantity);
            comparator = quantity.hasComparator() ? LabResult.Comparator.of(quantity.getComparator().toCode())
                    : Optional.empty();
        } else if (valueElement instanceof org.hl7.fhir.r4.model.StringType string && string.hasValue()) {
            java.util.regex.Matcher matcher = STRING_VALUE.matcher(string.getValue());
            if (matcher.matches()) {
                value = plausible(new BigDecimal(matcher.group(2)));
                comparator = LabResult.Comparator.of(matcher.group(1));
                unit = Optional.ofNullable(matcher.group(3));
            }
        }
        Optional<BigDecimal> factor = unit.flatMap(u -> labs.unitsPerLitre(test, u));
        Optional<BigDecimal> upperLimit = Optional.empty();
        for (Observation.ObservationReferenceRangeComponent range : ranges) {
            if (!range.hasHigh() || !range.getHigh().hasValue()) {
                continue;
            }
            Optional<BigDecimal> high = plausible(range.getHigh().getValue());
            Optional<String> highUnit = quantityUnit(range.getHigh());
            if (high.isEmpty()) {
                continue;
            }
            if (highUnit.isEmpty() || unit.isEmpty() || highUnit.get().equals(unit.get())) {
                upperLimit = high;
            } else {
                // A range in another unit (U/L beside a value in ukat/L): convert it into the value's unit.
                Optional<BigDecimal> highFactor = labs.unitsPerLitre(test, highUnit.get());
                if (highFactor.isPresent() && factor.isPresent()) {
                    upperLimit = Optional.of(high.get().multiply(highFactor.get())
                            .divide(factor.get(), java.math.MathContext.DECIMAL64));
                }
            }
            if (upperLimit.isPresent()) {
                break;
            }
        }
        Optional<String> absent = absentReason == null || absentReason.isEmpty() ? Optional.empty()
                : Optional.of(display(absentReason));
        return new LabResult(patientId, source, test, display(code), status, effective, value, unit, upperLimit,
                screen, comparator, factor, value.isPresent() ? Optional.empty() : absent);
    }

    private static Optional<String> quantityUnit(Quantity quantity) {
        String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
        return Optional.ofNullable(unit).filter(u -> !u.isBlank());
    }

    /** Positive or negative, from a coded value, a string value or the interpretation. */
    private static Optional<LabResult.ScreenResult> screenResult(Observation observation) {
        List<String> signals = new ArrayList<>();
        if (observation.hasValueCodeableConcept()) {
            observation.getValueCodeableConcept().getCoding().forEach(c -> signals.add(c.getCode()));
            signals.add(observation.getValueCodeableConcept().getText());
        }
        if (observation.hasValueStringType()) {
            signals.add(observation.getValueStringType().getValue());
        }
        observation.getInterpretation().forEach(i -> i.getCoding().forEach(c -> signals.add(c.getCode())));
        for (String signal : signals) {
            if (signal == null) {
                continue;
            }
            String s = signal.trim().toLowerCase(Locale.ROOT);
            // SNOMED 10828004 Positive, 260373001 Detected; HL7 interpretation POS, DET, A (abnormal).
            if (s.equals("10828004") || s.equals("260373001") || s.equals("pos") || s.equals("det")
                    || s.equals("positive") || s.equals("detected") || s.equals("a")) {
                return Optional.of(LabResult.ScreenResult.POSITIVE);
            }
            // SNOMED 260385009 Negative, 260415000 Not detected; HL7 NEG, ND, N.
            if (s.equals("260385009") || s.equals("260415000") || s.equals("neg") || s.equals("nd")
                    || s.equals("negative") || s.equals("not detected") || s.equals("n")) {
                return Optional.of(LabResult.ScreenResult.NEGATIVE);
            }
        }
        return Optional.empty();
    }

    private Optional<ConditionRecord> conditionRecord(Condition condition) {
        Optional<String> patientId = patientId(condition.getSubject());
        ConditionClass conditionClass = condition.getCode().getCoding().stream()
                .map(coding -> conditions.classify(code(coding)))
                .filter(c -> c != ConditionClass.OTHER)
                .findFirst().orElse(ConditionClass.OTHER);
        if (patientId.isEmpty() || conditionClass == ConditionClass.OTHER) {
            return Optional.empty();
        }
        Optional<Instant> onset = condition.hasOnsetDateTimeType()
                ? instant(condition.getOnsetDateTimeType().getValue())
                : instant(condition.getRecordedDate());
        return Optional.of(new ConditionRecord(patientId.get(),
                source(condition), conditionClass,
                display(condition.getCode()),
                enumValue(ConditionRecord.ClinicalStatus.class, firstCode(condition.getClinicalStatus()),
                        // R4: no clinicalStatus on an entered-in-error record; an absent status on a
                        // confirmed diagnosis is read as active, which is the safe side for these rules.
                        ConditionRecord.ClinicalStatus.ACTIVE),
                enumValue(ConditionRecord.Verification.class, firstCode(condition.getVerificationStatus()),
                        ConditionRecord.Verification.UNKNOWN),
                onset));
    }

    // --- small readers ------------------------------------------------------------------------------------------

    /** Where a timeline entry came from; a resource sent without an id still counts, and says so in evidence. */
    private static SourceRef source(Resource resource) {
        String id = resource.getIdElement().getIdPart();
        return new SourceRef(resource.fhirType(), id == null || id.isBlank() ? "(no id)" : id);
    }

    /** The patient id of a subject reference: {@code Patient/123}, or an absolute URL ending in it. */
    public static Optional<String> patientId(Reference subject) {
        if (subject == null || !subject.hasReference()) {
            return Optional.empty();
        }
        String[] parts = subject.getReference().split("/");
        for (int i = parts.length - 2; i >= 0; i--) {
            if ("Patient".equals(parts[i])) {
                return Optional.of(parts[i + 1]);
            }
        }
        return Optional.empty();
    }

    private static MedicationEvent.Status status(String fhirCode) {
        return enumValue(MedicationEvent.Status.class, fhirCode, MedicationEvent.Status.UNKNOWN);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String fhirCode, E fallback) {
        if (fhirCode == null || fhirCode.isBlank()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, fhirCode.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static String firstCode(CodeableConcept concept) {
        return concept == null ? null : concept.getCoding().stream().map(Coding::getCode).findFirst().orElse(null);
    }

    private static void addCodes(CodeableConcept concept, Set<Code> codes) {
        for (Coding coding : concept.getCoding()) {
            if (coding.hasSystem() && coding.hasCode()) {
                codes.add(new Code(coding.getSystem(), coding.getCode()));
            }
        }
    }

    private static Code code(Coding coding) {
        return new Code(coding.hasSystem() ? coding.getSystem() : "", coding.hasCode() ? coding.getCode() : "");
    }

    private static String display(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream()
                .map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode())
                .filter(s -> s != null && !s.isBlank())
                .findFirst().orElse("unnamed");
    }

    private static Optional<String> text(CodeableConcept concept) {
        if (concept == null || concept.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(display(concept));
    }

    private static Optional<Instant> instant(Date date) {
        return Optional.ofNullable(date).map(Date::toInstant);
    }

    private static Optional<BigDecimal> doseMg(Dosage dosage) {
        return dosage.getDoseAndRate().stream()
                .filter(d -> d.hasDoseQuantity())
                .findFirst()
                .flatMap(d -> mg(d.getDoseQuantity()));
    }

    /** A dose in milligrams, converting g and mcg; other units (tablets, mL) are not a strength. */
    private static Optional<BigDecimal> mg(Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return Optional.empty();
        }
        String unit = (quantity.hasCode() ? quantity.getCode() : quantity.getUnit());
        if (unit == null) {
            return Optional.empty();
        }
        return plausible(quantity.getValue()).flatMap(value -> switch (unit.trim().toLowerCase(Locale.ROOT)) {
            case "mg", "milligram", "milligrams" -> Optional.of(value);
            case "g", "gram", "grams" -> Optional.of(value.multiply(BigDecimal.valueOf(1000)));
            case "ug", "mcg", "microgram", "micrograms" -> Optional.of(value.divide(BigDecimal.valueOf(1000)));
            default -> Optional.empty();
        });
    }

    /**
     * A FHIR decimal as the rules read it, or empty if it is not a plausible clinical quantity. FHIR decimals have
     * arbitrary precision and "1e999999999" is valid JSON: scaling or printing such a value (a liver result as a
     * multiple of the upper limit, a dose on a card) would build a number of a billion digits. No dose, lab result
     * or limit comes near 10^12 or below 10^-12, so values beyond that are read as absent (like a result without a
     * value), and finer values are rounded to 12 decimal places.
     */
    static Optional<BigDecimal> plausible(BigDecimal value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.signum() == 0) {
            return Optional.of(BigDecimal.ZERO); // "0E-999999999" is zero too, and rescaling it is as costly
        }
        int integerDigits = value.precision() - value.scale();
        if (integerDigits > MAX_QUANTITY_DIGITS || integerDigits < -MAX_QUANTITY_DIGITS) {
            return Optional.empty();
        }
        return Optional.of(value.scale() > MAX_QUANTITY_DIGITS
                ? value.setScale(MAX_QUANTITY_DIGITS, RoundingMode.HALF_UP)
                : value);
    }

    /** A supply duration in whole days (UCUM d, wk, mo; or unit text). */
    private static Optional<Integer> days(Quantity quantity) {
        if (quantity == null || !quantity.hasValue()) {
            return Optional.empty();
        }
        String unit = (quantity.hasCode() ? quantity.getCode() : quantity.getUnit());
        String u = unit == null ? "d" : unit.trim().toLowerCase(Locale.ROOT);
        Optional<BigDecimal> plausible = plausible(quantity.getValue());
        if (plausible.isEmpty()) {
            return Optional.empty();
        }
        double value = plausible.get().doubleValue();
        double days = switch (u) {
            case "d", "day", "days" -> value;
            case "wk", "week", "weeks" -> value * 7;
            case "mo", "month", "months" -> value * 30;
            case "h", "hour", "hours" -> value / 24;
            default -> -1;
        };
        return days < 0 ? Optional.empty() : Optional.of((int) Math.round(days));
    }
}
