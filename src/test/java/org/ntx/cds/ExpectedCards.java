package org.ntx.cds;

import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.terminology.LabClassifier;
import org.ntx.terminology.MedicationClassifier;
import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabTest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the scenario tables say an order-sign should interrupt with, worked out again from the raw FHIR data without
 * the rules' code, so the alert-burden report can set the cards that fired against the cards expected. Each check is
 * the headline rule of one table (the {@code #} lines of {@code scenarios/*.csv}):
 *
 * <ul>
 *   <li>opioid-blockade-conflict: an injection within 28 days is CRITICAL, days 29-35 WARNING; oral naltrexone
 *       covers its supply plus 24 h (50 mg) and is CRITICAL;</li>
 *   <li>overdose-risk (opioid drafts): a blockade that ended within the last 90 days, and none now, is WARNING;</li>
 *   <li>induction-window (naltrexone drafts): 7 days after the end of a short-acting opioid supply, 10 days after a
 *       long-acting one, WARNING; CRITICAL while still supplied or within 3 days; a positive opioid urine screen
 *       opens 7 days from collection, CRITICAL within the first 3;</li>
 *   <li>liver-function (naltrexone drafts): the latest ALT and the latest AST, however old ("old 6x ALT and no test
 *       since": CRITICAL), against the upper limit of normal, above 5x CRITICAL, above 3x WARNING.</li>
 * </ul>
 * Which product is which drug class comes from the terminology layer, as it does for the rules.
 */
final class ExpectedCards {

    private static final Duration DAY = Duration.ofDays(1);

    private final MedicationClassifier medications;
    private final LabClassifier labs;
    private Map<String, org.hl7.fhir.r4.model.Medication> products = Map.of();

    ExpectedCards(MedicationClassifier medications, LabClassifier labs) {
        this.medications = medications;
        this.labs = labs;
    }

    /** Topic code to severity ("WARNING", "CRITICAL") of each interruptive card expected. */
    Map<String, String> at(Instant t, OrderPopulation.Kind kind, List<Resource> record) {
        products = OrderPopulation.products(record);
        Map<String, String> expected = new TreeMap<>();
        if (kind == OrderPopulation.Kind.OPIOID) {
            blockade(t, record, expected);
        } else {
            induction(t, record, expected);
            liver(t, record, expected);
        }
        return expected;
    }

    private void blockade(Instant t, List<Resource> record, Map<String, String> expected) {
        Instant blockedUntil = null;
        String severity = null;
        for (Resource resource : record) {
            Optional<Exposure> exposure = exposure(resource);
            if (exposure.isEmpty() || !exposure.get().drugClass().blocksOpioids()) {
                continue;
            }
            Exposure e = exposure.get();
            Instant end;
            if (e.drugClass() == DrugClass.NALTREXONE_EXTENDED_RELEASE) {
                end = e.start().plus(Duration.ofDays(28));
                if (!t.isAfter(end)) {
                    severity = "CRITICAL";
                } else if (!t.isAfter(e.start().plus(Duration.ofDays(35))) && severity == null) {
                    severity = "WARNING";
                }
            } else {
                end = e.end().plus(DAY);
                if (!t.isBefore(e.start()) && t.isBefore(end)) {
                    severity = "CRITICAL";
                }
            }
            if (blockedUntil == null || end.isAfter(blockedUntil)) {
                blockedUntil = end;
            }
        }
        if (severity != null) {
            expected.put("opioid-blockade-conflict", severity);
        }
        if (blockedUntil != null && t.isAfter(blockedUntil)
                && !t.isAfter(blockedUntil.plus(Duration.ofDays(90)))) {
            expected.put("overdose-risk", "WARNING");
        }
    }

    private void induction(Instant t, List<Resource> record, Map<String, String> expected) {
        String severity = null;
        for (Resource resource : record) {
            Optional<Exposure> exposure = exposure(resource);
            if (exposure.isPresent() && exposure.get().drugClass().isOpioid()) {
                Exposure e = exposure.get();
                Duration window = e.drugClass() == DrugClass.OPIOID_LONG_ACTING ? Duration.ofDays(10)
                        : Duration.ofDays(7);
                if (t.isBefore(e.end().plus(window))) {
                    boolean recent = !t.isAfter(e.end().plus(Duration.ofDays(3)));
                    severity = recent ? "CRITICAL" : severity == null ? "WARNING" : severity;
                }
            }
            if (resource instanceof Observation screen && positiveOpioidScreen(screen)) {
                Instant taken = OrderPopulation.when(screen).orElse(Instant.MIN);
                if (!taken.isAfter(t) && t.isBefore(taken.plus(Duration.ofDays(7)))) {
                    // "Positive opioid urine screen yesterday": CRITICAL, like any exposure of the last 3 days.
                    boolean recent = !t.isAfter(taken.plus(Duration.ofDays(3)));
                    severity = recent ? "CRITICAL" : severity == null ? "WARNING" : severity;
                }
            }
        }
        if (severity != null) {
            expected.put("induction-window", severity);
        }
    }

    private void liver(Instant t, List<Resource> record, Map<String, String> expected) {
        Map<LabTest, Observation> latest = new TreeMap<>();
        for (Resource resource : record) {
            if (resource instanceof Observation observation && observation.hasValueQuantity()) {
                LabTest test = test(observation);
                Instant when = OrderPopulation.when(observation).orElse(Instant.MIN);
                if ((test == LabTest.ALT || test == LabTest.AST) && !when.isAfter(t)) {
                    Observation current = latest.get(test);
                    if (current == null || when.isAfter(OrderPopulation.when(current).orElse(Instant.MIN))) {
                        latest.put(test, observation);
                    }
                }
            }
        }
        // Without a reference range the rules use 40 U/L for both (liver-function table: "ALT@-10=250" has no limit).
        double worst = latest.values().stream().mapToDouble(o -> o.getValueQuantity().getValue().doubleValue()
                / (o.getReferenceRangeFirstRep().getHigh().hasValue()
                        ? o.getReferenceRangeFirstRep().getHigh().getValue().doubleValue() : 40)).max().orElse(0);
        if (worst > 5) {
            expected.put("liver-function", "CRITICAL");
        } else if (worst > 3) {
            expected.put("liver-function", "WARNING");
        }
    }

    private record Exposure(DrugClass drugClass, Instant start, Instant end) {}

    /** A completed administration or dispense, or an order that is not a draft, with its start and supply end. */
    private Optional<Exposure> exposure(Resource resource) {
        org.hl7.fhir.r4.model.Type medication;
        Instant start;
        int supplyDays = 0;
        if (resource instanceof MedicationAdministration a
                && a.getStatus() == MedicationAdministration.MedicationAdministrationStatus.COMPLETED) {
            medication = a.getMedication();
        } else if (resource instanceof MedicationDispense d
                && d.getStatus() == MedicationDispense.MedicationDispenseStatus.COMPLETED) {
            medication = d.getMedication();
            supplyDays = d.hasDaysSupply() ? d.getDaysSupply().getValue().intValue() : 0;
        } else if (resource instanceof MedicationRequest r
                && r.getStatus() != MedicationRequest.MedicationRequestStatus.DRAFT
                && r.getStatus() != MedicationRequest.MedicationRequestStatus.CANCELLED
                && r.getStatus() != MedicationRequest.MedicationRequestStatus.ENTEREDINERROR) {
            medication = r.getMedication();
            Quantity supply = r.getDispenseRequest().getExpectedSupplyDuration();
            supplyDays = supply.hasValue() ? supply.getValue().intValue() : 0;
        } else {
            return Optional.empty();
        }
        Optional<Instant> when = OrderPopulation.when(resource);
        if (medication == null || when.isEmpty()) {
            return Optional.empty();
        }
        start = when.get();
        List<Code> codes = OrderPopulation.codes(medication, products);
        return Optional.of(new Exposure(medications.classify(codes, Optional.empty()), start,
                start.plus(Duration.ofDays(supplyDays))));
    }

    private LabTest test(Observation observation) {
        return observation.getCode().getCoding().stream()
                .map(c -> labs.classify(new Code(c.getSystem(), c.getCode())))
                .filter(t -> t != LabTest.OTHER).findFirst().orElse(LabTest.OTHER);
    }

    private boolean positiveOpioidScreen(Observation observation) {
        return test(observation) == LabTest.OPIOID_URINE_SCREEN && observation.hasValueCodeableConcept()
                && observation.getValueCodeableConcept().getCoding().stream()
                .anyMatch(c -> "10828004".equals(c.getCode()));
    }
}
