package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.cardlog.CardLog;
import org.ntx.support.CdsCalls;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * Order-select then order-sign over HTTP on PostgreSQL, the record read from this server's store, the way the CDS
 * Hooks sandbox and a PDDI-coordinating EHR call: the card answered at selection is acknowledged, not repeated, at
 * signing; the PDDI options filter; anything changed brings the card back in full.
 */
@IntegrationTest
class CoordinationIT {

    static final String DR_A = "Practitioner/dr-a";
    static final String DR_B = "Practitioner/dr-b";
    static final String SELECT = "naltrexone-order-select";
    static final String SIGN = "naltrexone-order-sign";

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    CardLog cardLog;

    final ObjectMapper json = new ObjectMapper();
    IGenericClient client;
    CdsCalls cds;

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
        cds = new CdsCalls(fhirContext, "http://127.0.0.1:" + port);
    }

    @Test
    void withoutFeedbackTheCardIsShownAgainAtSigning() {
        Story story = patientOnInjection();

        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of()));

        assertThat(selected.get("indicator").asText()).isEqualTo("critical");
        assertThat(signed.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void anOverrideAtSelectionIsAcknowledgedNotRepeatedAtSigning() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));

        HttpResponse<String> feedback = cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(),
                "pain-emergency-monitored-setting"));
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of()));

        assertThat(signed.get("indicator").asText()).isEqualTo("info");
        assertThat(signed.get("summary").asText())
                .startsWith("Opioid blockade conflict acknowledged at selection, ")
                .endsWith(": emergency analgesia in a monitored setting");
        assertThat(signed.get("detail").asText()).as("every critical card stays traceable to its evidence")
                .contains("MedicationAdministration/" + story.injectionId);
        assertThat(signed.get("links").get(0).get("url").asText())
                .isEqualTo("http://127.0.0.1:" + port + "/?patient=" + story.patientId);
        CardLog.ShownCard logged = cardLog.find(signed.get("uuid").asText()).orElseThrow().card();
        assertThat(logged.issued().repeatOf()).contains(selected.get("uuid").asText());
    }

    @Test
    void aDismissalWithoutReasonIsAcknowledgedAsSuch() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), null));

        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of()));

        assertThat(signed.get("summary").asText()).endsWith(": overridden without a reason");
    }

    @Test
    void thePddiOptionsFilterTheCardWithoutAnyFeedback() {
        Story story = patientOnInjection();
        card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of("cache-for-order-sign-filtering", true)));

        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of("filter-out-repeated-alerts", true)));

        assertThat(signed.get("indicator").asText()).isEqualTo("info");
        assertThat(signed.get("summary").asText()).contains("shown at selection").contains("not repeated at signing");
    }

    @Test
    void filterOutRepeatedAlertsFalseShowsTheCardEvenWhenAnswered() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10),
                Map.of("cache-for-order-sign-filtering", true)));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), "other"));

        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of("filter-out-repeated-alerts", false)));

        assertThat(signed.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void aChangedDoseBringsTheCardBackInFull() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), "pain-emergency-monitored-setting"));

        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(20), Map.of()));

        assertThat(signed.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void aNewInjectionRecordedBetweenSelectionAndSigningBringsTheCardBackInFull() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), "pain-emergency-monitored-setting"));

        client.create().resource(story.fixtures.injectionDaysAgo(0)).execute();
        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of()));

        assertThat(signed.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void anotherPrescriberSigningSeesTheFullCard() {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), "pain-emergency-monitored-setting"));

        assertThat(card(call(SIGN, story, DR_B, story.oxycodone(10), Map.of())).get("indicator").asText())
                .isEqualTo("critical");
        assertThat(card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of())).get("indicator").asText())
                .isEqualTo("info");
    }

    @Test
    void anOverrideForOnePatientNeverQuietsTheCardOfAnother() {
        Story first = patientOnInjection();
        Story second = patientOnInjection();
        JsonNode selected = card(call(SELECT, first, DR_A, first.oxycodone(10), Map.of()));
        cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(), "pain-emergency-monitored-setting"));

        // Same prescriber, same draft id, same product and dose, the same kind of record: another patient.
        JsonNode signed = card(call(SIGN, second, DR_A, second.oxycodone(10), Map.of()));

        assertThat(signed.get("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void aFeedbackRequestWithOneBadItemStoresNothing() throws Exception {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        String good = json.readTree(CdsCalls.override(selected.get("uuid").asText(), "other")).get("feedback").get(0)
                .toString();
        String bad = json.readTree(CdsCalls.override("not-a-card-of-ours", null)).get("feedback").get(0).toString();

        HttpResponse<String> refused = cds.feedback(SELECT, "{\"feedback\": [" + good + "," + bad + "]}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json.readTree(refused.body()).get("message").asText()).contains("not-a-card-of-ours");
        assertThat(cardLog.find(selected.get("uuid").asText()).orElseThrow().feedback()).isEmpty();
    }

    @Test
    void repeatedFeedbackIsIdempotentAndAContradictingAnswerIsAConflict() throws Exception {
        Story story = patientOnInjection();
        JsonNode selected = card(call(SELECT, story, DR_A, story.oxycodone(10), Map.of()));
        String override = CdsCalls.override(selected.get("uuid").asText(), "other");

        assertThat(cds.feedback(SELECT, override).statusCode()).isEqualTo(200);
        HttpResponse<String> again = cds.feedback(SELECT, override);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json.readTree(again.body()).get("alreadyRecorded").asInt()).isEqualTo(1);

        HttpResponse<String> other = cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(),
                "pain-emergency-monitored-setting"));
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(json.readTree(other.body()).get("message").asText()).contains("already overridden");
    }

    @Test
    void discoveryOffersThePddiConfigurationItems() throws Exception {
        JsonNode services = json.readTree(cds.get("/cds-services")).get("services");
        for (JsonNode service : services) {
            String items = service.path("extension").path("configuration-items").toString();
            switch (service.get("hook").asText()) {
                case "order-select" -> assertThat(items).contains("cache-for-order-sign-filtering");
                case "order-sign" -> assertThat(items).contains("filter-out-repeated-alerts");
                default -> assertThat(service.has("extension")).isFalse();
            }
        }
    }

    @Test
    void cardsPointAtTheirTopicPageOnThisServer() {
        Story story = patientOnInjection();
        JsonNode signed = card(call(SIGN, story, DR_A, story.oxycodone(10), Map.of()));

        assertThat(signed.get("source").get("url").asText())
                .isEqualTo("http://127.0.0.1:" + port + "/cards/opioid-blockade-conflict");
        assertThat(signed.get("detail").asText())
                .contains("(http://127.0.0.1:" + port + "/cards/opioid-blockade-conflict#citation-vivitrol-blockade)");
    }

    /**
     * Issue 20 item 4, for the cards of a whole select-override-sign round: the full critical card at selection, the
     * info acknowledgement at signing, and the info cards beside them. Every {@code source.url}, every citation in a
     * detail and every link is a page this server serves, and each citation's anchor is on its page.
     */
    @Test
    void everyLinkOfTheFullAndTheAcknowledgementCardResolvesOnThisServer() {
        Story story = patientOnInjection();
        String selectedBody = call(SELECT, story, DR_A, story.oxycodone(10), Map.of());
        JsonNode selected = card(selectedBody);
        assertThat(cds.feedback(SELECT, CdsCalls.override(selected.get("uuid").asText(),
                "pain-emergency-monitored-setting")).statusCode()).isEqualTo(200);
        String signedBody = call(SIGN, story, DR_A, story.oxycodone(10), Map.of());
        JsonNode acknowledgement = card(signedBody);
        assertThat(acknowledgement.get("indicator").asText()).isEqualTo("info");

        String base = "http://127.0.0.1:" + port;
        java.util.regex.Pattern citation = java.util.regex.Pattern.compile("\\]\\((https?://[^)\\s]+)\\)");
        int citations = 0;
        for (String body : java.util.List.of(selectedBody, signedBody)) {
            for (JsonNode card : readTree(body).path("cards")) {
                String topic = card.path("source").path("topic").path("code").asText();
                String source = card.path("source").path("url").asText();
                assertThat(source).as("source.url of %s", card.path("summary").asText())
                        .isEqualTo(base + "/cards/" + topic);
                assertThat(cds.get(source.substring(base.length()))).contains("<h2>Sources</h2>");
                java.util.regex.Matcher links = citation.matcher(card.path("detail").asText());
                while (links.find()) {
                    String url = links.group(1);
                    assertThat(url).as("a citation in %s", card.path("summary").asText()).startsWith(base + "/cards/");
                    String[] pageAndAnchor = url.substring(base.length()).split("#", 2);
                    String page = cds.get(pageAndAnchor[0]);
                    if (pageAndAnchor.length == 2) {
                        assertThat(page).as(url).contains("id=\"" + pageAndAnchor[1] + "\"");
                    }
                    citations++;
                }
                for (JsonNode link : card.path("links")) {
                    String url = link.path("url").asText();
                    assertThat(url).as("link %s", link.path("label").asText()).startsWith(base + "/");
                    cds.get(url.substring(base.length()));
                }
            }
        }
        assertThat(citations).as("the critical card and its acknowledgement both cite their sources")
                .isGreaterThanOrEqualTo(2);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** A patient of this server with a naltrexone injection nine days ago. */
    private Story patientOnInjection() {
        String patientId = ((IdType) client.create().resource(new Patient()).execute().getId()).getIdPart();
        ClinicalFixtures fixtures = new ClinicalFixtures(patientId, Instant.now());
        String injectionId = ((IdType) client.create().resource(fixtures.injectionDaysAgo(9)).execute().getId())
                .getIdPart();
        return new Story(patientId, fixtures, injectionId);
    }

    record Story(String patientId, ClinicalFixtures fixtures, String injectionId) {
        MedicationRequest oxycodone(int mg) {
            MedicationRequest draft = fixtures.draft(OXYCODONE_10);
            draft.addDosageInstruction().addDoseAndRate().setDose(new Quantity().setValue(mg).setUnit("mg")
                    .setSystem("http://unitsofmeasure.org").setCode("mg"));
            return draft;
        }
    }

    private String call(String service, Story story, String prescriber, MedicationRequest draft,
                        Map<String, Boolean> pddi) {
        String hook = service.equals(SELECT) ? "order-select" : "order-sign";
        HttpResponse<String> response = cds.post(service, cds.order(hook, story.patientId, prescriber, draft, pddi));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private JsonNode readTree(String body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode card(String responseBody) {
        return CdsCalls.card(responseBody, "opioid-blockade-conflict");
    }
}
