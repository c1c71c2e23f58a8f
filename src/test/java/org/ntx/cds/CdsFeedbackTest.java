package org.ntx.cds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.ntx.cardlog.CardLog;
import org.ntx.profiles.Canonicals;
import org.ntx.support.ClinicalFixtures;
import org.springframework.http.HttpStatus;

import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Feedback that means what it says (CDS Hooks 2.0 §Feedback), through the real pipeline: a dismissal is an override
 * without a reason; a card is answered once, by the client it was issued to; the answer must fit the card.
 */
class CdsFeedbackTest {

    static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Principal EHR_A = CdsPipeline.client("https://ehr-a.example.org");
    static final Principal EHR_B = CdsPipeline.client("https://ehr-b.example.org");

    final CdsPipeline pipeline = new CdsPipeline(NOW, CdsProperties.defaults(), true);

    @Test
    void aDismissalWithoutAReasonIsStoredAsAnOverrideWithNoReason() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        feedback(EHR_A, item(card, "overridden"));

        CardLog.Feedback stored = stored(card);
        assertThat(stored.outcome()).isEqualTo("overridden");
        assertThat(stored.reason()).isEmpty();
    }

    @Test
    void anOverrideReasonWithOnlyAUserCommentIsAnOverrideWithNoReasonAndTheCommentIsNotKept() throws Exception {
        JsonNode card = blockadeCard(EHR_A);
        ObjectNode item = item(card, "overridden");
        item.putObject("overrideReason").put("userComment", "patient Jane Doe in bed 4 asked for it");

        feedback(EHR_A, item);

        assertThat(stored(card).reason()).isEmpty();
        assertThat(pipeline.cardLog.find(card.get("uuid").asText()).toString()).doesNotContain("Jane");
    }

    @Test
    void storesAnOfferedReasonWithItsSystem() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        feedback(EHR_A, withReason(item(card, "overridden"), Canonicals.CODE_SYSTEM, "pain-emergency-monitored-setting"));

        assertThat(stored(card).reason()).contains(new CardLog.ReasonCode(
                java.util.Optional.of(Canonicals.CODE_SYSTEM), "pain-emergency-monitored-setting"));
    }

    @Test
    void refusesAReasonOfOurCodeSystemThatTheCardDidNotOffer() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        CdsRequestException refused = refused(EHR_A, withReason(item(card, "overridden"), Canonicals.CODE_SYSTEM,
                "liver-tests-reviewed"));

        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("not one this card offered")
                .contains("pain-emergency-monitored-setting");
        assertThat(pipeline.cardLog.find(card.get("uuid").asText()).orElseThrow().feedback()).isEmpty();
    }

    @Test
    void keepsAReasonFromTheClientsOwnCodeSystemAsTheClientsCode() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        feedback(EHR_A, withReason(item(card, "overridden"), "https://ehr-a.example.org/override", "palliative"));

        assertThat(stored(card).reason().orElseThrow().system()).contains("https://ehr-a.example.org/override");
    }

    @Test
    void refusesFeedbackForACardThisServiceNeverIssued() {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("feedback").addObject().put("card", UUID.randomUUID().toString()).put("outcome", "overridden");

        CdsRequestException refused = catchThrowableOfType(
                () -> pipeline.feedback("naltrexone-order-sign", body.toString(), EHR_A), CdsRequestException.class);

        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("was not issued by service 'naltrexone-order-sign'");
    }

    @Test
    void refusesFeedbackSentToAnotherServiceThanTheOneThatIssuedTheCard() throws Exception {
        JsonNode card = blockadeCard(EHR_A);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("feedback").add(item(card, "overridden"));

        CdsRequestException refused = catchThrowableOfType(
                () -> pipeline.feedback("naltrexone-order-select", body.toString(), EHR_A), CdsRequestException.class);

        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.getMessage()).contains("was not issued by service 'naltrexone-order-select'");
    }

    @Test
    void refusesFeedbackFromAnotherClientThanTheOneTheCardWasIssuedTo() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        CdsRequestException refused = refused(EHR_B, item(card, "overridden"));

        assertThat(refused.status()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(refused.getMessage()).contains("was not issued to this client");
        assertThat(pipeline.cardLog.find(card.get("uuid").asText()).orElseThrow().feedback()).isEmpty();
    }

    @Test
    void webPageFeedbackForACardOfAPatientTheUsersTokenDoesNotReachIsRefusedAndNothingStored() throws Exception {
        Principal clinician = user("dr-a", "user/*.rs", null);
        ObjectNode request = blockadeRequest();
        String patientId = request.get("context").get("patientId").asText();
        JsonNode card = blockadeCardOf(JSON.readTree(pipeline.callFromWebPage("naltrexone-order-sign",
                request.toString(), clinician)));

        // The same user, now signed in with a token bound to another patient.
        Principal boundElsewhere = user("dr-a", "patient/*.rs", "someone-else");
        ObjectNode body = JSON.createObjectNode();
        body.putArray("feedback").add(item(card, "overridden"));
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() ->
                pipeline.feedbackFromWebPage("naltrexone-order-sign", body.toString(), boundElsewhere));

        assertThat(refused).isInstanceOf(org.ntx.security.PatientDataAccess.Denied.class)
                .hasMessageContaining("Patient/" + patientId);
        assertThat(pipeline.cardLog.find(card.get("uuid").asText()).orElseThrow().feedback()).isEmpty();
        pipeline.feedbackFromWebPage("naltrexone-order-sign", body.toString(), clinician);
        assertThat(stored(card).outcome()).as("the token that reaches the patient may answer").isEqualTo("overridden");
    }

    @Test
    void theSameFeedbackTwiceIsStoredOnce() throws Exception {
        JsonNode card = blockadeCard(EHR_A);
        ObjectNode item = withReason(item(card, "overridden"), Canonicals.CODE_SYSTEM, "other");

        JsonNode first = JSON.readTree(feedback(EHR_A, item));
        pipeline.clock.advance(java.time.Duration.ofMinutes(3));
        JsonNode again = JSON.readTree(feedback(EHR_A, item.deepCopy().put("outcomeTimestamp",
                NOW.plusSeconds(120).toString())));

        assertThat(first.get("stored").asInt()).isEqualTo(1);
        assertThat(again.get("stored").asInt()).isZero();
        assertThat(again.get("alreadyRecorded").asInt()).isEqualTo(1);
        assertThat(stored(card).receivedAt()).as("the first answer stands").isEqualTo(NOW);
    }

    @Test
    void aDifferentAnswerForAnAnsweredCardIsRefusedWithConflict() throws Exception {
        JsonNode card = blockadeCard(EHR_A);
        feedback(EHR_A, item(card, "overridden"));

        ObjectNode accepted = item(card, "accepted");
        accepted.putArray("acceptedSuggestions").addObject().put("id",
                card.get("suggestions").get(0).get("uuid").asText());
        CdsRequestException refused = refused(EHR_A, accepted);

        assertThat(refused.status()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(refused.getMessage()).contains("was already overridden");
        assertThat(stored(card).outcome()).isEqualTo("overridden");
    }

    @Test
    void anAcceptedOutcomeMustNameOneOfTheCardsSuggestions() throws Exception {
        JsonNode card = blockadeCard(EHR_A);

        assertThat(refused(EHR_A, item(card, "accepted")).getMessage()).contains("acceptedSuggestions");
        ObjectNode other = item(card, "accepted");
        other.putArray("acceptedSuggestions").addObject().put("id", UUID.randomUUID().toString());
        assertThat(refused(EHR_A, other).getMessage()).contains("is not one of card");
    }

    @Test
    void anOverrideAcceptsNoSuggestionsAndAnAcceptanceCarriesNoReason() throws Exception {
        JsonNode card = blockadeCard(EHR_A);
        ObjectNode both = item(card, "overridden");
        both.putArray("acceptedSuggestions").addObject().put("id",
                card.get("suggestions").get(0).get("uuid").asText());
        assertThat(refused(EHR_A, both).getMessage()).contains("accepts no suggestions");

        ObjectNode acceptedWithReason = withReason(item(card, "accepted"), Canonicals.CODE_SYSTEM, "other");
        acceptedWithReason.putArray("acceptedSuggestions").addObject().put("id",
                card.get("suggestions").get(0).get("uuid").asText());
        assertThat(refused(EHR_A, acceptedWithReason).getMessage()).contains("carries no 'overrideReason'");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private JsonNode blockadeCard(Principal client) throws Exception {
        return blockadeCardOf(JSON.readTree(pipeline.call("naltrexone-order-sign", blockadeRequest().toString(),
                client)));
    }

    /** A signed-in user of the web page, as Spring Security hands their access token to the controller. */
    private static Principal user(String subject, String scope, String patient) {
        org.springframework.security.oauth2.jwt.Jwt.Builder jwt = org.springframework.security.oauth2.jwt.Jwt
                .withTokenValue("token").header("alg", "RS256").subject(subject).claim("scope", scope)
                .issuer("https://auth.example.org").issuedAt(NOW).expiresAt(NOW.plusSeconds(300));
        if (patient != null) {
            jwt.claim("patient", patient);
        }
        return new org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken(
                jwt.build());
    }

    /** An order-sign request for a new patient with an injection nine days ago and a draft oxycodone order. */
    private ObjectNode blockadeRequest() throws Exception {
        String patientId = "p-" + UUID.randomUUID().toString().substring(0, 8);
        ClinicalFixtures story = new ClinicalFixtures(patientId, NOW);
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", "order-sign").put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/dr-a").put("patientId", patientId);
        Bundle drafts = new Bundle().setType(Bundle.BundleType.COLLECTION);
        drafts.addEntry().setResource(story.draft(ClinicalFixtures.OXYCODONE_10));
        context.set("draftOrders", JSON.readTree(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .encodeResourceToString(drafts)));
        ObjectNode prefetch = request.putObject("prefetch");
        for (String key : List.of("medicationRequests", "medicationDispenses", "medicationStatements",
                "labObservations", "conditions")) {
            prefetch.putObject(key).put("resourceType", "Bundle").put("type", "searchset");
        }
        Bundle injections = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        injections.addEntry().setResource(story.injectionDaysAgo(9).setId("inj-1"));
        prefetch.set("medicationAdministrations", JSON.readTree(ca.uhn.fhir.context.FhirContext.forR4Cached()
                .newJsonParser().encodeResourceToString(injections)));
        return request;
    }

    private static JsonNode blockadeCardOf(JsonNode response) {
        for (JsonNode card : response.get("cards")) {
            if (card.path("source").path("topic").path("code").asText().equals("opioid-blockade-conflict")) {
                return card;
            }
        }
        throw new AssertionError("no blockade card in " + response);
    }

    private static ObjectNode item(JsonNode card, String outcome) {
        ObjectNode item = JSON.createObjectNode();
        item.put("card", card.get("uuid").asText()).put("outcome", outcome).put("outcomeTimestamp", NOW.toString());
        return item;
    }

    private static ObjectNode withReason(ObjectNode item, String system, String code) {
        item.putObject("overrideReason").putObject("reason").put("system", system).put("code", code);
        return item;
    }

    private String feedback(Principal client, ObjectNode item) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("feedback").add(item);
        return pipeline.feedback("naltrexone-order-sign", body.toString(), client);
    }

    private CdsRequestException refused(Principal client, ObjectNode item) {
        return catchThrowableOfType(() -> feedback(client, item), CdsRequestException.class);
    }

    private CardLog.Feedback stored(JsonNode card) {
        return pipeline.cardLog.find(card.get("uuid").asText()).orElseThrow().feedback().orElseThrow();
    }
}
