package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.IBUPROFEN;
import static org.ntx.support.ClinicalFixtures.NALTREXONE_XR_380;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * The CDS Hooks services over HTTP on PostgreSQL, in each data mode a real client uses: everything prefetched; no
 * prefetch and no fhirServer (we read our own store); no prefetch with a fhirServer (we fetch, with the bearer token,
 * following paging links); and a fhirServer that does not answer.
 */
@IntegrationTest
class CdsHooksIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final Instant now = Instant.now();
    IGenericClient client;

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
    }

    // --- discovery -------------------------------------------------------------------------------------------

    @Test
    void discoveryListsOneServicePerHookWithPatientKeyedPrefetch() throws Exception {
        HttpResponse<String> response = get("/cds-services");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode services = json.readTree(response.body()).get("services");
        assertThat(services).hasSize(3);
        for (String hook : List.of("order-select", "order-sign", "patient-view")) {
            JsonNode service = byHook(services, hook);
            assertThat(service.get("id").asText()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            JsonNode prefetch = service.get("prefetch");
            assertThat(prefetch.get("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
            for (String type : List.of("MedicationRequest", "MedicationAdministration", "MedicationDispense",
                    "MedicationStatement", "Observation", "Condition")) {
                assertThat(prefetch.toString()).contains(type + "?patient={{context.patientId}}");
            }
        }
    }

    // --- the clinical decision in each data mode ---------------------------------------------------------------

    @Test
    void warnsCriticallyWhenOxycodoneIsOrderedNineDaysAfterAnInjectionGivenInPrefetch() throws Exception {
        String patientId = "prefetch-" + UUID.randomUUID().toString().substring(0, 8);
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        ObjectNode request = orderSign(patientId, story.draft(OXYCODONE_10));
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.set("medicationAdministrations", bundle(story.injectionDaysAgo(9).setId("inj-1")));
        for (String key : List.of("medicationRequests", "medicationDispenses", "medicationStatements",
                "labObservations", "conditions")) {
            prefetch.set(key, bundle());
        }

        JsonNode card = onlyCardWithTopic(call("naltrexone-order-sign", request), "opioid-blockade-conflict");

        assertThat(card.get("indicator").asText()).isEqualTo("critical");
        assertThat(card.get("summary").asText().length()).isLessThan(140);
        assertThat(card.get("detail").asText()).contains("MedicationAdministration/inj-1");
        assertThat(card.get("uuid").asText()).isNotBlank();
        assertThat(card.path("source").path("topic").path("system").asText())
                .isEqualTo("https://ntx.example.org/fhir/CodeSystem/ntx");
        assertThat(card.get("suggestions").toString()).contains("delete");
        assertThat(card.get("overrideReasons")).isNotEmpty();
    }

    @Test
    void readsItsOwnStoreWhenThereIsNoPrefetchAndNoFhirServer() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();

        JsonNode response = call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)));

        assertThat(onlyCardWithTopic(response, "opioid-blockade-conflict").get("indicator").asText())
                .isEqualTo("critical");
    }

    /**
     * Records read from the own store are reused between calls (StoredRecordCache); every kind of write must still
     * show in the very next call: delete, create inside a transaction, update.
     */
    @Test
    void seesEveryWriteToTheOwnStoreInTheNextCall() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        IdType injection = (IdType) client.create().resource(story.injectionDaysAgo(9)).execute().getId();
        assertThat(topics(call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)))))
                .contains("opioid-blockade-conflict");
        assertThat(topics(call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)))))
                .as("asked again, unchanged").contains("opioid-blockade-conflict");

        client.delete().resourceById(injection.toUnqualifiedVersionless()).execute();
        assertThat(topics(call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)))))
                .doesNotContain("opioid-blockade-conflict");

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(story.injectionDaysAgo(5)).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationAdministration");
        String created = client.transaction().withBundle(transaction).execute().getEntryFirstRep().getResponse()
                .getLocation();
        assertThat(topics(call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)))))
                .contains("opioid-blockade-conflict");

        MedicationAdministration longAgo = story.injectionDaysAgo(200);
        longAgo.setId(new IdType(created).toUnqualifiedVersionless());
        client.update().resource(longAgo).execute();
        assertThat(topics(call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10)))))
                .doesNotContain("opioid-blockade-conflict");
    }

    @Test
    void fetchesFromTheClientsFhirServerFollowingPagingLinks() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        // 24 normal results first and one 6x ULN result last: more than one page (20) must be read to see it.
        for (int day = 200; day > 10; day -= 8) {
            client.create().resource(story.alt(day, 25, 40)).execute();
        }
        client.create().resource(story.alt(2, 240, 40)).execute();

        ObjectNode request = orderSign(patientId, story.draft(NALTREXONE_XR_380));
        request.put("fhirServer", FhirTestClient.baseUrl(port));
        request.putObject("fhirAuthorization").put("access_token", "test-token").put("token_type", "Bearer")
                .put("scope", "patient/*.read").put("expires_in", 300).put("subject", "cds-test");

        JsonNode card = onlyCardWithTopic(call("naltrexone-order-sign", request), "liver-function");
        assertThat(card.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void treatsAnOperationOutcomeOrNullInPrefetchAsAbsentAndFetchesThatData() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();
        ObjectNode request = orderSign(patientId, story.draft(OXYCODONE_10));
        ObjectNode prefetch = request.putObject("prefetch");
        prefetch.putObject("medicationAdministrations").put("resourceType", "OperationOutcome").putArray("issue")
                .addObject().put("severity", "error").put("code", "exception");
        prefetch.putNull("medicationRequests");

        JsonNode card = onlyCardWithTopic(call("naltrexone-order-sign", request), "opioid-blockade-conflict");
        assertThat(card.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void resolvesMedicationReferencesInHistoryAndInContainedDraftMedications() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        Medication vivitrol = new Medication();
        vivitrol.setCode(new CodeableConcept().addCoding(NALTREXONE_XR_380.copy()));
        String medicationId = ((IdType) client.create().resource(vivitrol).execute().getId()).getIdPart();
        MedicationAdministration injection = story.injectionDaysAgo(9);
        injection.setMedication(new Reference("Medication/" + medicationId));
        client.create().resource(injection).execute();

        MedicationRequest draft = story.draft(OXYCODONE_10);
        Medication oxycodone = new Medication();
        oxycodone.setId("oxy");
        oxycodone.setCode(new CodeableConcept().addCoding(OXYCODONE_10.copy()));
        draft.getContained().add(oxycodone);
        draft.setMedication(new Reference("#oxy"));

        JsonNode card = onlyCardWithTopic(call("naltrexone-order-sign", orderSign(patientId, draft)),
                "opioid-blockade-conflict");
        assertThat(card.get("detail").asText()).contains("MedicationAdministration/");
    }

    @Test
    void readsTheWholeHistoryFromItsOwnStoreEvenPastFiveHundredRecords() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 520; i++) {
            transaction.addEntry().setResource(story.alt(400 - i * 0.7, 25, 40))
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        transaction.addEntry().setResource(story.alt(1, 240, 40))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        client.transaction().withBundle(transaction).execute();

        JsonNode card = onlyCardWithTopic(
                call("naltrexone-order-sign", orderSign(patientId, story.draft(NALTREXONE_XR_380))), "liver-function");
        assertThat(card.get("indicator").asText()).isEqualTo("critical");
    }

    /**
     * A patient with 1,400 Observations (400 vital signs, 1,001 ALT results, the last one six times the upper limit):
     * read whole from the own store and from a fhirServer (this server, more than two pages of 500), with no false
     * data-unavailable card in either mode.
     */
    @Test
    void aPatientWithMoreThanAThousandObservationsIsReadWholeFromTheOwnStoreAndFromTheFhirServer() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        List<Resource> observations = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            org.hl7.fhir.r4.model.Observation heartRate = story.alt(300 - i * 0.5, 70, 40);
            heartRate.getCode().getCodingFirstRep().setCode("8867-4").setDisplay("Heart rate");
            heartRate.setReferenceRange(List.of());
            observations.add(heartRate);
        }
        for (int i = 0; i < 1000; i++) {
            observations.add(story.alt(400 - i * 0.35, 25, 40));
        }
        observations.add(story.alt(1, 240, 40));
        for (int from = 0; from < observations.size(); from += 500) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (Resource observation : observations.subList(from, Math.min(observations.size(), from + 500))) {
                transaction.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.POST)
                        .setUrl("Observation");
            }
            client.transaction().withBundle(transaction).execute();
        }

        ObjectNode ownStore = orderSign(patientId, story.draft(NALTREXONE_XR_380));
        ObjectNode fromServer = orderSign(patientId, story.draft(NALTREXONE_XR_380));
        fromServer.put("fhirServer", FhirTestClient.baseUrl(port));
        for (ObjectNode request : List.of(ownStore, fromServer)) {
            JsonNode response = call("naltrexone-order-sign", request);
            String mode = request.has("fhirServer") ? "fhirServer" : "own store";
            assertThat(topics(response)).as(mode).doesNotContain("data-unavailable");
            assertThat(onlyCardWithTopic(response, "liver-function").get("indicator").asText()).as(mode)
                    .isEqualTo("critical");
        }
    }

    /**
     * A fhirServer that accepts the connection and never answers: the call still answers, with a data-unavailable
     * card that says the data was not read in time (the call's budget, {@code ntx.cds.call-budget}, was spent and
     * the outstanding requests cancelled), not that the server failed.
     */
    @Test
    void aStalledFhirServerGetsADataUnavailableCardSayingTheDataWasNotReadInTime() throws Exception {
        ClinicalFixtures story = new ClinicalFixtures("stalled-1", now);
        try (org.ntx.support.StalledServer stalled = new org.ntx.support.StalledServer()) {
            ObjectNode request = orderSign("stalled-1", story.draft(OXYCODONE_10));
            request.put("fhirServer", stalled.base());

            JsonNode response = call("naltrexone-order-sign", request);

            List<JsonNode> unavailable = new ArrayList<>();
            response.get("cards").forEach(card -> {
                if (card.path("source").path("topic").path("code").asText().equals("data-unavailable")) {
                    unavailable.add(card);
                }
            });
            assertThat(unavailable).as(response.toString()).isNotEmpty()
                    .allSatisfy(card -> assertThat(card.path("summary").asText()).contains("not read in time"));
        }
    }

    @Test
    void saysDataIsUnavailableWhenTheFhirServerDoesNotAnswer() throws Exception {
        ClinicalFixtures story = new ClinicalFixtures("unreachable-1", now);
        ObjectNode request = orderSign("unreachable-1", story.draft(OXYCODONE_10));
        request.put("fhirServer", "http://127.0.0.1:9/fhir");

        JsonNode response = call("naltrexone-order-sign", request);

        JsonNode card = onlyCardWithTopic(response, "data-unavailable");
        assertThat(card.get("indicator").asText()).isIn("warning", "critical");
    }

    @Test
    void staysQuietForANonOpioidDraftDuringTheBlockade() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();

        JsonNode response = call("naltrexone-order-sign", orderSign(patientId, story.draft(IBUPROFEN)));

        assertThat(topics(response)).doesNotContain("opioid-blockade-conflict", "data-unavailable");
    }

    @Test
    void patientViewShowsTreatmentStatusOnlyForPatientsOnNaltrexone() throws Exception {
        String treated = storedPatient();
        client.create().resource(new ClinicalFixtures(treated, now).injectionDaysAgo(9)).execute();
        String neverTreated = storedPatient();

        assertThat(topics(call("naltrexone-patient-view", patientView(treated)))).contains("treatment-status");
        assertThat(call("naltrexone-patient-view", patientView(neverTreated)).get("cards")).isEmpty();
    }

    // --- lenient with real clients ------------------------------------------------------------------------------

    @Test
    void acceptsADraftBundleWithoutTypeAndACategoryObject() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(5)).execute();
        ObjectNode request = orderSign(patientId, story.draft(OXYCODONE_10));
        ObjectNode draftBundle = (ObjectNode) request.get("context").get("draftOrders");
        draftBundle.remove("type");
        ObjectNode draft = (ObjectNode) draftBundle.get("entry").get(0).get("resource");
        draft.putObject("category").putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/medicationrequest-category")
                .put("code", "outpatient");

        JsonNode response = call("naltrexone-order-sign", request);

        assertThat(topics(response)).contains("opioid-blockade-conflict");
    }

    @Test
    void acceptsOrderSelectBeforeAnyMedicationIsChosen() throws Exception {
        String patientId = storedPatient();
        ObjectNode request = base("order-select", patientId);
        MedicationRequest empty = new MedicationRequest();
        empty.setId("draft-empty");
        empty.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        ((ObjectNode) request.get("context")).set("draftOrders", bundleWithoutType(empty));
        ((ObjectNode) request.get("context")).putArray("selections").add("MedicationRequest/draft-empty");

        HttpResponse<String> response = post("/cds-services/naltrexone-order-select", request.toString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(topics(json.readTree(response.body()))).doesNotContain("opioid-blockade-conflict");
    }

    // --- errors -------------------------------------------------------------------------------------------------

    @Test
    void rejectsARequestWithoutHookWith400() throws Exception {
        ObjectNode request = base("order-sign", "p1");
        request.remove("hook");
        assertCdsError(post("/cds-services/naltrexone-order-sign", request.toString()), 400, "hook");
    }

    @Test
    void rejectsARequestWithoutHookInstanceWith400() throws Exception {
        ObjectNode request = base("order-sign", "p1");
        request.remove("hookInstance");
        assertCdsError(post("/cds-services/naltrexone-order-sign", request.toString()), 400, "hookInstance");
    }

    @Test
    void rejectsARequestWithoutContextWith400() throws Exception {
        ObjectNode request = base("order-sign", "p1");
        request.remove("context");
        assertCdsError(post("/cds-services/naltrexone-order-sign", request.toString()), 400, "context");
    }

    @Test
    void rejectsARequestWithoutPatientIdWith400() throws Exception {
        ObjectNode request = base("order-sign", "p1");
        ((ObjectNode) request.get("context")).remove("patientId");
        assertCdsError(post("/cds-services/naltrexone-order-sign", request.toString()), 400, "patientId");
    }

    @Test
    void rejectsMalformedJsonWith400() throws Exception {
        assertCdsError(post("/cds-services/naltrexone-order-sign", "{\"hook\": \"order-sign\","), 400, "JSON");
    }

    @Test
    void answers404ForAnUnknownService() throws Exception {
        assertCdsError(post("/cds-services/no-such-service", base("order-sign", "p1").toString()), 404,
                "no-such-service");
    }

    @Test
    void answers415ForTheWrongContentType() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/cds-services/naltrexone-order-sign"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertCdsError(response, 415, "application/json");
    }

    // --- feedback -----------------------------------------------------------------------------------------------

    @Test
    void storesOverrideFeedbackForAShownCard() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();
        JsonNode card = onlyCardWithTopic(
                call("naltrexone-order-sign", orderSign(patientId, story.draft(OXYCODONE_10))),
                "opioid-blockade-conflict");
        String reason = card.get("overrideReasons").get(0).get("code").asText();

        ObjectNode feedback = json.createObjectNode();
        ObjectNode item = feedback.putArray("feedback").addObject();
        item.put("card", card.get("uuid").asText()).put("outcome", "overridden")
                .put("outcomeTimestamp", "2026-11-20T10:00:00Z");
        item.putObject("overrideReason").set("reason", card.get("overrideReasons").get(0));

        HttpResponse<String> response = post("/cds-services/naltrexone-order-sign/feedback", feedback.toString());
        assertThat(response.statusCode()).isEqualTo(200);

        // Replaying feedback for a card this service never issued is refused.
        item.put("card", UUID.randomUUID().toString());
        assertCdsError(post("/cds-services/naltrexone-order-sign/feedback", feedback.toString()), 400, "not issued");
        assertThat(reason).isNotBlank();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private String storedPatient() {
        return ((IdType) client.create().resource(new Patient()).execute().getId()).getIdPart();
    }

    private ObjectNode base(String hook, String patientId) {
        ObjectNode request = json.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/example");
        context.put("patientId", patientId);
        return request;
    }

    private ObjectNode orderSign(String patientId, MedicationRequest draft) throws Exception {
        ObjectNode request = base("order-sign", patientId);
        ((ObjectNode) request.get("context")).set("draftOrders", bundle(draft));
        return request;
    }

    private ObjectNode patientView(String patientId) {
        return base("patient-view", patientId);
    }

    private ObjectNode bundle(Resource... resources) throws Exception {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Resource resource : resources) {
            bundle.addEntry().setResource(resource);
        }
        return (ObjectNode) json.readTree(fhirContext.newJsonParser().encodeResourceToString(bundle));
    }

    private ObjectNode bundleWithoutType(Resource... resources) throws Exception {
        ObjectNode bundle = bundle(resources);
        bundle.remove("type");
        return bundle;
    }

    private JsonNode call(String serviceId, ObjectNode request) throws Exception {
        HttpResponse<String> response = post("/cds-services/" + serviceId, request.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static JsonNode byHook(JsonNode services, String hook) {
        for (JsonNode service : services) {
            if (service.get("hook").asText().equals(hook)) {
                return service;
            }
        }
        throw new AssertionError("No service for hook " + hook);
    }

    private static List<String> topics(JsonNode response) {
        List<String> topics = new ArrayList<>();
        response.get("cards").forEach(card -> topics.add(card.path("source").path("topic").path("code").asText()));
        return topics;
    }

    private static JsonNode onlyCardWithTopic(JsonNode response, String topic) {
        List<JsonNode> matching = new ArrayList<>();
        response.get("cards").forEach(card -> {
            if (topic.equals(card.path("source").path("topic").path("code").asText())) {
                matching.add(card);
            }
        });
        assertThat(matching).as("cards with topic %s in %s", topic, response).hasSize(1);
        return matching.get(0);
    }

    private void assertCdsError(HttpResponse<String> response, int status, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).contains(messagePart);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
