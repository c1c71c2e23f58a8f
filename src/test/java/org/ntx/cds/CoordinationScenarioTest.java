package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.aggregator.AggregateWith;
import org.junit.jupiter.params.aggregator.ArgumentsAccessor;
import org.junit.jupiter.params.aggregator.ArgumentsAggregator;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.SuggestedAction;
import org.ntx.rules.Topic;
import org.ntx.support.ClinicalFixtures;
import org.ntx.terminology.Terminology;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordination table ({@code scenarios/coordination.csv}): a prescriber selects an order, perhaps answers the
 * card, and signs; each row states what the signing prescriber sees of the card of one topic. Runs the real pipeline
 * (parser, record, rules, cards, card log, feedback) with everything prefetched and a clock the test moves.
 */
class CoordinationScenarioTest {

    static final Instant SELECTED_AT = Instant.parse("2026-11-23T10:42:00Z");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final Terminology TERMINOLOGY = Terminology.fromClasspath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Coding> PRODUCTS = Map.of(
            "oxycodone", ClinicalFixtures.OXYCODONE_10,
            "hydrocodone", new Coding(ClinicalFixtures.RXNORM, "856987",
                    "Acetaminophen 300 MG / Hydrocodone Bitartrate 5 MG Oral Tablet"),
            "morphine", ClinicalFixtures.MORPHINE_INJECTION,
            "naltrexone", ClinicalFixtures.NALTREXONE_ORAL_50,
            "xr-naltrexone", ClinicalFixtures.NALTREXONE_XR_380);
    static final Map<String, Coding> ROUTES = Map.of(
            "oral", new Coding(ClinicalFixtures.SNOMED, "26643006", "Oral route"),
            "iv", new Coding(ClinicalFixtures.SNOMED, "47625008", "Intravenous route"),
            "im", new Coding(ClinicalFixtures.SNOMED, "78421000", "Intramuscular route"));

    /** One row of the table. */
    record Row(String story, String record, String topic, String selectedBy, String selected, String selectOption,
               String answer, String signedBy, String patient, String signed, String newSinceSelection,
               int minutesLater, String signOption, String settings, String expected, String says) {

        @Override
        public String toString() {
            return story;
        }
    }

    static final class RowAggregator implements ArgumentsAggregator {
        @Override
        public Row aggregateArguments(ArgumentsAccessor row, ParameterContext context) {
            String[] cells = new String[16];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = i < row.size() && row.getString(i) != null ? row.getString(i).trim() : "";
            }
            return new Row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8],
                    cells[9], cells[10], Integer.parseInt(cells[11]), cells[12], cells[13], cells[14], cells[15]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvFileSource(resources = "/scenarios/coordination.csv", numLinesToSkip = 1)
    void signingShowsWhatTheTableSays(@AggregateWith(RowAggregator.class) Row row) throws IOException {
        CdsProperties.Coordination coordination = coordination(row.settings());
        CdsPipeline pipeline = new CdsPipeline(FHIR, TERMINOLOGY, SELECTED_AT,
                new CdsProperties(CdsProperties.TimelineLink.AUTO, coordination), false);

        String patientA = "pa-" + UUID.randomUUID().toString().substring(0, 8);
        String patientB = "pb-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode selection = JSON.readTree(pipeline.call("naltrexone-order-select",
                request("order-select", patientA, row.selectedBy(), row.selected(), row.selectOption(), row.record(),
                        ""), null));
        JsonNode selectCard = cardOf(selection, row.topic())
                .orElseThrow(() -> new AssertionError(row.story() + ": no " + row.topic() + " card at selection: "
                        + selection));

        pipeline.clock.set(SELECTED_AT.plus(Duration.ofMinutes(1)));
        if (!row.answer().equals("none")) {
            pipeline.feedback("naltrexone-order-select", feedback(selectCard, row.answer(), row.topic()), null);
        }

        pipeline.clock.set(SELECTED_AT.plus(Duration.ofMinutes(row.minutesLater())));
        String signedPatient = row.patient().equals("other") ? patientB : patientA;
        String signed = row.signed().equals("same") ? row.selected() : row.signed();
        JsonNode signing = JSON.readTree(pipeline.call("naltrexone-order-sign",
                request("order-sign", signedPatient, row.signedBy(), signed, row.signOption(), row.record(),
                        row.newSinceSelection()), null));

        List<JsonNode> ofTopic = cardsOf(signing, row.topic());
        if (row.expected().equals("not shown")) {
            assertThat(ofTopic).as("%s: cards of %s at signing in %s", row.story(), row.topic(), signing).isEmpty();
            return;
        }
        assertThat(ofTopic).as("%s: cards of %s at signing in %s", row.story(), row.topic(), signing).hasSize(1);
        JsonNode card = ofTopic.get(0);
        String summary = card.get("summary").asText();
        switch (row.expected()) {
            case "shown again" -> {
                assertThat(summary).as(row.story()).doesNotContain("at selection");
                assertThat(card.get("indicator").asText()).as(row.story())
                        .isEqualTo(selectCard.get("indicator").asText());
            }
            case "acknowledged" -> {
                assertThat(card.get("indicator").asText()).as(row.story()).isEqualTo("info");
                assertThat(summary).as(row.story()).contains("acknowledged at selection, 10:43 UTC");
                assertThat(card.has("overrideReasons")).as("a note offers nothing to override").isFalse();
                assertThat(card.get("detail").asText()).as("the note keeps the evidence")
                        .contains(selectCard.get("summary").asText());
            }
            case "filtered" -> {
                assertThat(card.get("indicator").asText()).as(row.story()).isEqualTo("info");
                assertThat(summary).as(row.story()).contains("shown at selection, 10:42 UTC");
                assertThat(card.get("detail").asText()).contains("filter-out-repeated-alerts");
            }
            default -> throw new IllegalArgumentException("unknown expectation " + row.expected());
        }
        if (!row.says().isEmpty()) {
            assertThat(summary + "\n" + card.get("detail").asText()).as(row.story()).contains(row.says());
        }
    }

    /**
     * The {@code ntx.cds.coordination.*} settings of a row, {@code name=value} separated by spaces; the rest at their
     * defaults.
     */
    private static CdsProperties.Coordination coordination(String settings) {
        CdsProperties.Coordination d = CdsProperties.Coordination.defaults();
        boolean remember = d.rememberAnsweredCards();
        Duration maxAge = d.maxAge();
        boolean note = d.acknowledgementCard();
        for (String setting : settings.trim().split("\\s+")) {
            if (setting.isEmpty()) {
                continue;
            }
            String[] nameValue = setting.split("=", 2);
            switch (nameValue[0]) {
                case "remember-answered-cards" -> remember = Boolean.parseBoolean(nameValue[1]);
                case "max-age" -> maxAge = Duration.ofMinutes(Long.parseLong(nameValue[1].replace("m", "")));
                case "acknowledgement-card" -> note = Boolean.parseBoolean(nameValue[1]);
                default -> throw new IllegalArgumentException("unknown setting " + setting);
            }
        }
        return new CdsProperties.Coordination(remember, maxAge, note, d.timeZone());
    }

    // --- requests ---------------------------------------------------------------------------------------------

    private static String request(String hook, String patientId, String prescriber, String order, String option,
                                  String record, String newEntries) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/" + prescriber.replace("Dr ", "dr-").toLowerCase());
        context.put("patientId", patientId);
        List<String> tokens = Arrays.asList(order.split("\\s+"));
        tokens.stream().filter(t -> t.startsWith("encounter=")).findFirst()
                .ifPresent(t -> context.put("encounterId", t.substring("encounter=".length())));
        MedicationRequest draft = draft(patientId, tokens);
        Bundle drafts = new Bundle().setType(Bundle.BundleType.COLLECTION);
        drafts.addEntry().setResource(draft);
        context.set("draftOrders", JSON.readTree(FHIR.newJsonParser().encodeResourceToString(drafts)));
        if (hook.equals("order-select") && draft.hasId()) {
            context.putArray("selections").add("MedicationRequest/" + draft.getIdElement().getIdPart());
        }
        switch (option) {
            case "cache" -> pddi(request).put("cache-for-order-sign-filtering", true);
            case "no-cache" -> pddi(request).put("cache-for-order-sign-filtering", false);
            case "filter" -> pddi(request).put("filter-out-repeated-alerts", true);
            case "no-filter" -> pddi(request).put("filter-out-repeated-alerts", false);
            case "" -> { }
            default -> throw new IllegalArgumentException("unknown option " + option);
        }
        request.set("prefetch", prefetch(patientId, record, newEntries));
        return request.toString();
    }

    private static ObjectNode pddi(ObjectNode request) {
        return request.putObject("extension").putObject("pddi-configuration-items");
    }

    /** {@code oxycodone 10mg oral id=d1}: product, dose, route, and the id the client gives it (or {@code no-id}). */
    private static MedicationRequest draft(String patientId, List<String> tokens) {
        MedicationRequest draft = new MedicationRequest();
        draft.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        draft.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        draft.setSubject(new Reference("Patient/" + patientId));
        draft.setMedication(new CodeableConcept().addCoding(PRODUCTS.get(tokens.get(0)).copy()));
        String dose = tokens.get(1);
        draft.addDosageInstruction().setRoute(new CodeableConcept().addCoding(ROUTES.get(tokens.get(2)).copy()))
                .addDoseAndRate().setDose(new Quantity().setValue(Double.parseDouble(dose.replace("mg", "")))
                        .setUnit("mg").setSystem("http://unitsofmeasure.org").setCode("mg"));
        tokens.stream().filter(t -> t.startsWith("id=")).findFirst().ifPresent(t -> draft.setId(t.substring(3)));
        return draft;
    }

    /** Everything prefetched: the record (and what was added since selection), every other key an empty Bundle. */
    private static ObjectNode prefetch(String patientId, String record, String newEntries) throws IOException {
        ClinicalFixtures story = new ClinicalFixtures(patientId, SELECTED_AT);
        Map<String, Bundle> parts = new java.util.LinkedHashMap<>();
        for (String key : List.of("medicationRequests", "medicationAdministrations", "medicationDispenses",
                "medicationStatements", "labObservations", "conditions")) {
            parts.put(key, new Bundle().setType(Bundle.BundleType.SEARCHSET));
        }
        List<String> entries = new ArrayList<>();
        for (String text : List.of(record, newEntries)) {
            for (String entry : text.split(";")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        int n = 0;
        for (String entry : entries) {
            String id = "rec-" + n++;
            if (entry.equals("unavailable:labs")) {
                parts.remove("labObservations");
            } else if (entry.startsWith("injection@")) {
                Resource injection = story.injectionDaysAgo(-Double.parseDouble(entry.substring(10))).setId(id);
                parts.get("medicationAdministrations").addEntry().setResource(injection);
            } else if (entry.startsWith("ALT@")) {
                String[] dayValue = entry.substring(4).split("=");
                String[] valueLimit = dayValue[1].split("/");
                parts.get("labObservations").addEntry().setResource(story.alt(-Double.parseDouble(dayValue[0]),
                        Double.parseDouble(valueLimit[0]), Double.parseDouble(valueLimit[1])).setId(id));
            } else if (entry.startsWith("oxycodone dispensed@")) {
                String[] daySupply = entry.substring("oxycodone dispensed@".length()).split("\\s+");
                parts.get("medicationDispenses").addEntry().setResource(story.dispenseDaysAgo(
                        ClinicalFixtures.OXYCODONE_10, -Double.parseDouble(daySupply[0]),
                        Integer.parseInt(daySupply[1].replace("d", ""))).setId(id));
            } else {
                throw new IllegalArgumentException("unknown record entry " + entry);
            }
        }
        ObjectNode prefetch = JSON.createObjectNode();
        for (Map.Entry<String, Bundle> part : parts.entrySet()) {
            prefetch.set(part.getKey(), JSON.readTree(FHIR.newJsonParser().encodeResourceToString(part.getValue())));
        }
        return prefetch;
    }

    /** {@code overridden}, {@code overridden: <reason code>}, {@code accepted: <suggested action>}. */
    private static String feedback(JsonNode card, String answer, String topicCode) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode item = body.putArray("feedback").addObject();
        item.put("card", card.get("uuid").asText());
        item.put("outcomeTimestamp", SELECTED_AT.plus(Duration.ofMinutes(1)).toString());
        if (answer.startsWith("overridden")) {
            item.put("outcome", "overridden");
            if (answer.contains(":")) {
                item.putObject("overrideReason").putObject("reason").put("system", Canonicals.CODE_SYSTEM)
                        .put("code", answer.substring(answer.indexOf(':') + 1).trim());
            }
        } else if (answer.startsWith("accepted:")) {
            item.put("outcome", "accepted");
            Topic topic = Arrays.stream(Topic.values()).filter(t -> t.code().equals(topicCode)).findFirst()
                    .orElseThrow();
            String label = FindingCards.label(SuggestedAction.valueOf(answer.substring(9).trim()), topic);
            String uuid = null;
            for (JsonNode suggestion : card.path("suggestions")) {
                if (suggestion.get("label").asText().equals(label)) {
                    uuid = suggestion.get("uuid").asText();
                }
            }
            assertThat(uuid).as("the card offers '%s': %s", label, card).isNotNull();
            item.putArray("acceptedSuggestions").addObject().put("id", uuid);
        } else {
            throw new IllegalArgumentException("unknown answer " + answer);
        }
        return body.toString();
    }

    private static java.util.Optional<JsonNode> cardOf(JsonNode response, String topic) {
        return cardsOf(response, topic).stream().findFirst();
    }

    private static List<JsonNode> cardsOf(JsonNode response, String topic) {
        List<JsonNode> cards = new ArrayList<>();
        response.path("cards").forEach(card -> {
            if (topic.equals(card.path("source").path("topic").path("code").asText())) {
                cards.add(card);
            }
        });
        return cards;
    }
}
