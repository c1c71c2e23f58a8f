package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.terminology.Terminology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alert burden, measured (issue 20): on a generated population, per 100 opioid and naltrexone order-signs, how many
 * interruptive (warning or critical) cards fire, how many repeat a card the prescriber already answered for the same
 * unchanged decision, and how many the scenario tables expect ({@link ExpectedCards}); and whether every critical
 * card is traceable to evidence in the patient's record.
 *
 * <p>Each order is played as a prescriber would: order-select with the draft; each interruptive card answered through
 * feedback a minute later (7 in 10 overridden with the card's first reason, 1.5 in 10 dismissed without a reason,
 * 1.5 in 10 left unanswered); order-sign three minutes after selection, with the dose changed in 1 order in 10. The
 * same choices are played twice: with the service as shipped, and with answered cards not remembered (the "before").
 * The real pipeline runs in process ({@link CdsPipeline}), everything prefetched, the card log in H2.
 */
final class AlertBurden {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final Terminology TERMINOLOGY = Terminology.fromClasspath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern EVIDENCE = Pattern.compile(
            "(MedicationAdministration|MedicationDispense|MedicationRequest|MedicationStatement|Observation|Condition)"
                    + "/([A-Za-z0-9\\-.]+)");
    static final Set<String> INTERRUPTIVE = Set.of("warning", "critical");
    static final Duration SIGN_AFTER = Duration.ofMinutes(3);

    private AlertBurden() {}

    /** Writes the report and checks the goals: no repeat, every critical card traceable, agreement with the tables. */
    static void reportAndCheck(List<Measurement> measurements, Path file, String note, boolean repeatsExpectedBefore)
            throws IOException {
        String report = report(measurements, note);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, report);
        System.out.println(report);
        for (Measurement m : measurements) {
            Tally now = m.total(true);
            Tally before = m.total(false);
            assertThat(now.signs).as("%s: orders were signed", m.name).isPositive();
            assertThat(now.repeats).as("%s: no repeated interruption for an answered unchanged decision", m.name)
                    .isZero();
            if (repeatsExpectedBefore) {
                assertThat(before.repeats).as("%s: the measure sees repeats when nothing is remembered", m.name)
                        .isPositive();
            }
            assertThat(m.untraceable).as("%s: every critical card rests on evidence in the record", m.name).isEmpty();
            assertThat(m.disagreements).as("%s: the cards that fire are the ones the scenario tables expect", m.name)
                    .isEmpty();
        }
    }

    // --- the measurement ----------------------------------------------------------------------------------------

    /** Counts for one kind of order, with or without coordination. */
    static final class Tally {
        int signs;
        int interruptiveAtSelect;
        int interruptiveAtSign;
        int repeats;
        int acknowledgements;
        int expected;
        int critical;
        int criticalTraceable;

        void add(Tally other) {
            signs += other.signs;
            interruptiveAtSelect += other.interruptiveAtSelect;
            interruptiveAtSign += other.interruptiveAtSign;
            repeats += other.repeats;
            acknowledgements += other.acknowledgements;
            expected += other.expected;
            critical += other.critical;
            criticalTraceable += other.criticalTraceable;
        }
    }

    static final class Measurement {
        final String name;
        final Map<OrderPopulation.Kind, Tally> now = new EnumMap<>(OrderPopulation.Kind.class);
        final Map<OrderPopulation.Kind, Tally> before = new EnumMap<>(OrderPopulation.Kind.class);
        final List<String> untraceable = new ArrayList<>();
        final List<String> disagreements = new ArrayList<>();
        final Map<String, Integer> criticalByTopic = new TreeMap<>();
        int patients;

        Measurement(String name) {
            this.name = name;
            for (OrderPopulation.Kind kind : OrderPopulation.Kind.values()) {
                now.put(kind, new Tally());
                before.put(kind, new Tally());
            }
        }

        Tally total(boolean coordinated) {
            Tally total = new Tally();
            (coordinated ? now : before).values().forEach(total::add);
            return total;
        }
    }

    static Measurement measure(OrderPopulation population) {
        Measurement m = new Measurement(population.name());
        ExpectedCards expectations = new ExpectedCards(TERMINOLOGY.medications(), TERMINOLOGY.labs());
        CdsPipeline shipped = new CdsPipeline(FHIR, TERMINOLOGY, Instant.EPOCH, CdsProperties.defaults(), false);
        CdsPipeline forgetful = new CdsPipeline(FHIR, TERMINOLOGY, Instant.EPOCH, new CdsProperties(
                CdsProperties.TimelineLink.AUTO, new CdsProperties.Coordination(false, Duration.ofMinutes(60), true,
                java.time.ZoneId.of("UTC"))), false);
        population.patients().forEach(patient -> {
            m.patients++;
            int index = 0;
            for (OrderPopulation.Decision decision : patient.decisions()) {
                List<Resource> record = recordAt(patient, decision);
                // Judged at the moment of signing, three minutes after selection: a card can change on the way
                // (a blockade passes day 28), and then it is rightly shown again.
                Map<String, String> expected = expectations.at(decision.at().plus(SIGN_AFTER), decision.kind(),
                        record);
                Map<String, String> atSelection = expectations.at(decision.at(), decision.kind(), record);
                Behaviour behaviour = new Behaviour(patient.patientId() + "/" + index++);
                Set<String> ids = record.stream().map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                        .collect(Collectors.toSet());
                play(shipped, m.now.get(decision.kind()), m, patient, decision, record, atSelection, expected,
                        behaviour, ids, true);
                play(forgetful, m.before.get(decision.kind()), m, patient, decision, record, atSelection, expected,
                        behaviour, ids, false);
            }
        });
        return m;
    }

    /** The prescriber's choices for one decision, the same in both runs. */
    private record Behaviour(String seed) {
        int roll(String what) {
            return Math.floorMod((seed + "/" + what).hashCode(), 100);
        }

        boolean changesDose() {
            return roll("dose") < 10;
        }
    }

    private static void play(CdsPipeline pipeline, Tally tally, Measurement m, OrderPopulation.PatientData patient,
                      OrderPopulation.Decision decision, List<Resource> record, Map<String, String> atSelection,
                      Map<String, String> expected, Behaviour behaviour, Set<String> recordIds, boolean coordinated) {
        String prescriber = "Practitioner/burden";
        pipeline.clock.set(decision.at());
        JsonNode selected = call(pipeline, "naltrexone-order-select", "order-select", patient.patientId(),
                prescriber, decision.draft(), record);
        List<JsonNode> answered = new ArrayList<>();
        pipeline.clock.set(decision.at().plus(Duration.ofMinutes(1)));
        for (JsonNode card : selected.path("cards")) {
            if (!INTERRUPTIVE.contains(card.get("indicator").asText())) {
                continue;
            }
            tally.interruptiveAtSelect++;
            trace(card, m, tally, patient, decision, recordIds, atSelection, coordinated, "order-select");
            int roll = behaviour.roll(topic(card));
            if (roll >= 85) {
                continue;
            }
            ObjectNode body = JSON.createObjectNode();
            ObjectNode item = body.putArray("feedback").addObject().put("card", card.get("uuid").asText())
                    .put("outcome", "overridden").put("outcomeTimestamp", pipeline.clock.instant().toString());
            if (roll < 70 && card.has("overrideReasons")) {
                item.putObject("overrideReason").set("reason", card.get("overrideReasons").get(0));
            }
            pipeline.feedback("naltrexone-order-select", body.toString(), null);
            answered.add(card);
        }

        pipeline.clock.set(decision.at().plus(SIGN_AFTER));
        boolean changed = behaviour.changesDose();
        MedicationRequest signedDraft = changed ? doubledDose(decision.draft()) : decision.draft();
        JsonNode signed = call(pipeline, "naltrexone-order-sign", "order-sign", patient.patientId(), prescriber,
                signedDraft, record);
        tally.signs++;
        tally.expected += expected.size();
        Map<String, String> fired = new TreeMap<>();
        for (JsonNode card : signed.path("cards")) {
            String indicator = card.get("indicator").asText();
            if (!INTERRUPTIVE.contains(indicator)) {
                if (card.get("summary").asText().contains("at selection")) {
                    tally.acknowledgements++;
                }
                continue;
            }
            tally.interruptiveAtSign++;
            fired.put(topic(card), indicator.toUpperCase());
            trace(card, m, tally, patient, decision, recordIds, expected, coordinated, "order-sign");
            boolean repeat = !changed && answered.stream().anyMatch(earlier -> topic(earlier).equals(topic(card))
                    && earlier.get("indicator").asText().equals(indicator)
                    && evidence(earlier).equals(evidence(card)));
            if (repeat) {
                tally.repeats++;
            }
        }
        if (!coordinated && !fired.equals(expected) && m.disagreements.size() < 20) {
            m.disagreements.add(patient.patientId() + " " + decision.kind() + " order " + decision.draft()
                    .getIdElement().getIdPart() + " at " + decision.at() + ": fired " + fired + ", expected "
                    + expected);
        }
    }

    /** A critical card names evidence that is in the record, and the tables expect it critical. */
    private static void trace(JsonNode card, Measurement m, Tally tally, OrderPopulation.PatientData patient,
                              OrderPopulation.Decision decision, Set<String> recordIds, Map<String, String> expected,
                              boolean coordinated, String hook) {
        if (!card.get("indicator").asText().equals("critical")) {
            return;
        }
        tally.critical++;
        if (coordinated && hook.equals("order-sign")) {
            m.criticalByTopic.merge(topic(card), 1, Integer::sum);
        }
        List<String> evidence = evidence(card);
        boolean traceable = !evidence.isEmpty() && recordIds.containsAll(evidence)
                && "CRITICAL".equals(expected.get(topic(card)));
        if (traceable) {
            tally.criticalTraceable++;
        } else if (m.untraceable.size() < 20) {
            m.untraceable.add(patient.patientId() + " " + hook + " " + topic(card) + " at " + decision.at()
                    + ": evidence " + evidence + ", expected " + expected);
        }
    }

    /** The resources a card lists under Evidence. */
    private static List<String> evidence(JsonNode card) {
        String detail = card.get("detail").asText();
        int start = detail.indexOf("**Evidence**");
        if (start < 0) {
            return List.of();
        }
        int end = detail.indexOf("**Sources**", start);
        Matcher matcher = EVIDENCE.matcher(detail.substring(start, end < 0 ? detail.length() : end));
        List<String> references = new ArrayList<>();
        while (matcher.find()) {
            references.add(matcher.group());
        }
        return references;
    }

    private static String topic(JsonNode card) {
        return card.path("source").path("topic").path("code").asText();
    }

    /** The record as it stood when the order was written: everything dated up to then, the order itself aside. */
    private static List<Resource> recordAt(OrderPopulation.PatientData patient, OrderPopulation.Decision decision) {
        String orderId = decision.draft().getIdElement().getIdPart();
        return patient.resources().stream()
                .filter(r -> !(r instanceof MedicationRequest && r.getIdElement().getIdPart().equals(orderId)))
                .filter(r -> OrderPopulation.when(r).map(w -> !w.isAfter(decision.at())).orElse(true))
                .toList();
    }

    private static MedicationRequest doubledDose(MedicationRequest draft) {
        MedicationRequest changed = draft.copy();
        if (!changed.hasDosageInstruction()) {
            changed.addDosageInstruction(new Dosage());
        }
        Dosage dosage = changed.getDosageInstructionFirstRep();
        if (dosage.hasDoseAndRate() && dosage.getDoseAndRateFirstRep().hasDoseQuantity()) {
            Quantity dose = dosage.getDoseAndRateFirstRep().getDoseQuantity();
            dose.setValue(dose.getValue().multiply(java.math.BigDecimal.valueOf(2)));
        } else {
            dosage.addDoseAndRate().setDose(new Quantity().setValue(2).setUnit("tablet"));
        }
        return changed;
    }

    private static JsonNode call(CdsPipeline pipeline, String service, String hook, String patientId,
                                 String prescriber, MedicationRequest draft, List<Resource> record) {
        try {
            ObjectNode request = JSON.createObjectNode();
            request.put("hook", hook).put("hookInstance", UUID.randomUUID().toString());
            ObjectNode context = request.putObject("context");
            context.put("userId", prescriber).put("patientId", patientId);
            Bundle drafts = new Bundle().setType(Bundle.BundleType.COLLECTION);
            drafts.addEntry().setResource(draft);
            context.set("draftOrders", JSON.readTree(FHIR.newJsonParser().encodeResourceToString(drafts)));
            if (hook.equals("order-select")) {
                context.putArray("selections").add("MedicationRequest/" + draft.getIdElement().getIdPart());
            }
            Map<String, Bundle> parts = new LinkedHashMap<>();
            for (String key : List.of("medicationRequests", "medicationAdministrations", "medicationDispenses",
                    "medicationStatements", "labObservations", "conditions")) {
                parts.put(key, new Bundle().setType(Bundle.BundleType.SEARCHSET));
            }
            for (Resource resource : record) {
                String key = resource instanceof MedicationRequest ? "medicationRequests"
                        : resource instanceof MedicationAdministration ? "medicationAdministrations"
                        : resource instanceof MedicationDispense ? "medicationDispenses"
                        : resource instanceof MedicationStatement ? "medicationStatements"
                        : resource instanceof Observation ? "labObservations"
                        : resource instanceof Condition ? "conditions" : null;
                if (key != null) {
                    parts.get(key).addEntry().setResource(resource);
                } else if (resource instanceof org.hl7.fhir.r4.model.Medication) {
                    // As an EHR answers MedicationRequest?patient=...&_include=MedicationRequest:medication.
                    parts.get("medicationRequests").addEntry().setResource(resource).getSearch()
                            .setMode(Bundle.SearchEntryMode.INCLUDE);
                }
            }
            ObjectNode prefetch = request.putObject("prefetch");
            for (Map.Entry<String, Bundle> part : parts.entrySet()) {
                prefetch.set(part.getKey(), JSON.readTree(FHIR.newJsonParser().encodeResourceToString(part.getValue())));
            }
            return JSON.readTree(pipeline.call(service, request.toString(), null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // --- the report ---------------------------------------------------------------------------------------------

    private static String report(List<Measurement> measurements, String note) {
        StringBuilder md = new StringBuilder("# Alert burden at order-sign\n\n");
        md.append("Written by `AlertBurdenTest` (synthetic cohort) and `SyntheaAlertBurdenIT` (Synthea). Per 100 order-signs; interruptive = warning or critical. \"Before\":"
                + " the same prescriber choices with answered cards not remembered. Expected: what the scenario"
                + " tables' rules give for the same record (`ExpectedCards`, computed without the rules' code).\n\n");
        for (Measurement m : measurements) {
            md.append("## ").append(m.name).append("\n\n").append(m.patients).append(" patients.\n\n");
            md.append("| Orders | Order-signs | Interruptive at order-select | Interruptive at order-sign, before"
                    + " | of which repeat an answered unchanged decision | Interruptive at order-sign, now | of which"
                    + " repeat | Acknowledgement notes (info) | Expected by the scenario tables | Critical cards (select"
                    + " and sign, now) traceable to evidence |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (OrderPopulation.Kind kind : OrderPopulation.Kind.values()) {
                row(md, kind == OrderPopulation.Kind.OPIOID ? "Opioid" : "Naltrexone", m.before.get(kind),
                        m.now.get(kind));
            }
            row(md, "All", m.total(false), m.total(true));
            md.append("\nCritical cards at order-sign (now) by topic: ").append(m.criticalByTopic.isEmpty() ? "none"
                    : m.criticalByTopic.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))).append(".\n");
            md.append(m.disagreements.isEmpty() ? "\nEvery order-sign fired exactly the interruptive cards the"
                    + " scenario tables expect.\n" : "\nFired and expected differ:\n\n- "
                    + String.join("\n- ", m.disagreements) + "\n");
            md.append(m.untraceable.isEmpty() ? "Every critical card names evidence in the patient's record and is"
                    + " critical by the tables.\n\n" : "Critical cards not traceable:\n\n- "
                    + String.join("\n- ", m.untraceable) + "\n\n");
        }
        if (!note.isEmpty()) {
            md.append(note).append("\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String label, Tally before, Tally now) {
        md.append("| ").append(label).append(" | ").append(now.signs).append(" | ")
                .append(per100(now.interruptiveAtSelect, now.signs)).append(" | ")
                .append(per100(before.interruptiveAtSign, before.signs)).append(" | ")
                .append(per100(before.repeats, before.signs)).append(" | ")
                .append(per100(now.interruptiveAtSign, now.signs)).append(" | ")
                .append(per100(now.repeats, now.signs)).append(" | ")
                .append(per100(now.acknowledgements, now.signs)).append(" | ")
                .append(per100(now.expected, now.signs)).append(" | ")
                .append(now.criticalTraceable).append(" of ").append(now.critical).append(" |\n");
    }

    private static String per100(int count, int signs) {
        return signs == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", 100.0 * count / signs);
    }
}
