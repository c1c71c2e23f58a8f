package org.ntx.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records shaped as EHRs send them, stored through the FHIR API on PostgreSQL and read back by the CDS services from
 * the own store (no prefetch), or sent in prefetch over HTTP: NDC-only and J-code-only injections, Medications by
 * reference, text-only and NDC-only drafts, a monthly buprenorphine depot, ALT in ukat/L under another LOINC code, an
 * order set with naltrexone and an opioid, and opioid orders inside a transaction and a batch during a blockade.
 */
@IntegrationTest
class EhrShapedDataIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void ownStoreAnInjectionWhoseMedicationCarriesOnlyAnNdcBlocksATextOnlyOpioidDraft() throws Exception {
        String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
        String medication = create("Medication", """
                {"resourceType": "Medication", "code": {"coding": [
                  {"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.698288", "code": "40123", "display": "VIVITROL"},
                  {"system": "http://hl7.org/fhir/sid/ndc", "code": "65757-0300-01"}]}}""");
        create("MedicationAdministration", """
                {"resourceType": "MedicationAdministration", "status": "completed",
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                 "medicationReference": {"reference": "Medication/%s"}}""".formatted(patient, daysAgo(9), medication));

        JsonNode card = onlyCard(cds("naltrexone-order-sign", patient, null,
                draft("{\"text\": \"Percocet 5/325 mg, 1 tab PO q6h PRN\"}")), "opioid-blockade-conflict");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.path("detail").asText()).contains("recognised from the order's text, not its codes");
    }

    @Test
    void ownStoreTheJCodeUnderTheThoUriBlocksAnNdcCodedOpioidDraft() throws Exception {
        String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
        create("MedicationAdministration", """
                {"resourceType": "MedicationAdministration", "status": "completed",
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                 "medicationCodeableConcept": {"coding": [
                   {"system": "http://terminology.hl7.org/CodeSystem/HCPCS-all-codes", "code": "J2315"}]}}"""
                .formatted(patient, daysAgo(12)));

        JsonNode card = onlyCard(cds("naltrexone-order-select", patient, null, draft(
                "{\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/ndc\", \"code\": \"66267031930\"}]}")),
                "opioid-blockade-conflict");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void ownStoreAMonthlyBuprenorphineDepot25DaysAgoMakesTheInjectionOrderCritical() throws Exception {
        String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
        create("MedicationAdministration", """
                {"resourceType": "MedicationAdministration", "status": "completed",
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                 "medicationCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.285",
                   "code": "Q9992"}], "text": "Sublocade 300 mg SC"}}""".formatted(patient, daysAgo(25)));

        JsonNode card = onlyCard(cds("naltrexone-order-select", patient, null,
                draft("{\"coding\": [{\"system\": \"" + RXNORM + "\", \"code\": \"637213\"}]}")), "induction-window");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.path("summary").asText()).contains("Opioid still active");
    }

    @Test
    void ownStoreAltInUkatPerLitreUnderAnotherLoincCodeIsAboveFiveTimesTheConvertedDefault() throws Exception {
        String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
        create("Observation", """
                {"resourceType": "Observation", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                   "code": "laboratory"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "1744-2"}]},
                 "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                 "valueQuantity": {"value": 4.5, "unit": "µkat/L", "system": "http://unitsofmeasure.org",
                   "code": "ukat/L"}}""".formatted(patient, daysAgo(4)));

        JsonNode card = onlyCard(cds("naltrexone-order-sign", patient, null,
                draft("{\"text\": \"naltrexone 50 mg tablet\"}")), "liver-function");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.path("detail").asText()).contains("0.67 ukat/L");
    }

    @Test
    void ownStoreNaltrexoneAndAnOpioidInOneOrderSetNameBothDrafts() throws Exception {
        String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
        String body = request("naltrexone-order-sign", "order-sign", patient, null, List.of(
                draftWithId("n1", "{\"coding\": [{\"system\": \"" + RXNORM + "\", \"code\": \"1483744\"}]}"),
                draftWithId("o1", "{\"text\": \"oxycodone 5 mg\"}")));
        JsonNode card = onlyCard(post("/cds-services/naltrexone-order-sign", "application/json", body),
                "opioid-blockade-conflict");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
        assertThat(card.toString()).contains("MedicationRequest/n1").contains("MedicationRequest/o1");
    }

    @Test
    void prefetchAnIncludedMedicationAndANdcDraftWithoutHyphens() throws Exception {
        String prefetch = """
                {"medicationAdministrations": {"resourceType": "Bundle", "type": "searchset", "entry": [
                   {"fullUrl": "https://ehr.example.org/fhir/MedicationAdministration/a1",
                    "resource": {"resourceType": "MedicationAdministration", "id": "a1", "status": "completed",
                      "subject": {"reference": "Patient/p-ehr"}, "effectiveDateTime": "%s",
                      "medicationReference": {"reference": "https://ehr.example.org/fhir/Medication/m1"}},
                    "search": {"mode": "match"}},
                   {"fullUrl": "https://ehr.example.org/fhir/Medication/m1",
                    "resource": {"resourceType": "Medication", "id": "m1",
                      "code": {"coding": [{"system": "%s", "code": "7243", "display": "naltrexone"}]},
                      "form": {"text": "injectable suspension, extended release"}},
                    "search": {"mode": "include"}}]},
                 "medicationRequests": {"resourceType": "Bundle", "type": "searchset"},
                 "medicationDispenses": {"resourceType": "Bundle", "type": "searchset"},
                 "medicationStatements": {"resourceType": "Bundle", "type": "searchset"},
                 "labObservations": {"resourceType": "Bundle", "type": "searchset"},
                 "conditions": {"resourceType": "Bundle", "type": "searchset"}}
                """.formatted(daysAgo(6), RXNORM);
        JsonNode card = onlyCard(cds("naltrexone-order-sign", "p-ehr", prefetch, draft(
                "{\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/ndc\", \"code\": \"5901141010\"}]}")),
                "opioid-blockade-conflict");
        assertThat(card.path("indicator").asText()).isEqualTo("critical");
    }

    @Test
    void anOpioidOrderInATransactionOrABatchDuringTheBlockadeIsStoredWithAWarningOnItsEntry() throws Exception {
        for (String type : List.of("transaction", "batch")) {
            String patient = create("Patient", "{\"resourceType\": \"Patient\"}");
            create("MedicationAdministration", """
                    {"resourceType": "MedicationAdministration", "status": "completed",
                     "subject": {"reference": "Patient/%s"}, "effectiveDateTime": "%s",
                     "medicationCodeableConcept": {"coding": [{"system": "%s", "code": "637213"}]}}"""
                    .formatted(patient, daysAgo(7), RXNORM));
            String bundle = """
                    {"resourceType": "Bundle", "type": "%s", "entry": [
                      {"fullUrl": "urn:uuid:%s", "request": {"method": "POST", "url": "MedicationRequest"},
                       "resource": {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                         "subject": {"reference": "Patient/%s"}, "authoredOn": "%s",
                         "medicationCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/ndc",
                           "code": "23635-581-10"}]}}},
                      {"fullUrl": "urn:uuid:%s", "request": {"method": "POST", "url": "Observation"},
                       "resource": {"resourceType": "Observation", "status": "final",
                         "code": {"text": "note"}, "subject": {"reference": "Patient/%s"}}}]}
                    """.formatted(type, UUID.randomUUID(), patient, daysAgo(0), UUID.randomUUID(), patient);
            HttpResponse<String> response = post("/fhir", "application/fhir+json", bundle);
            assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(200);
            JsonNode entries = JSON.readTree(response.body()).path("entry");
            JsonNode order = entries.get(0).path("response");
            assertThat(order.path("status").asText()).as(type).startsWith("201");
            assertThat(order.path("outcome").toString()).as(type).contains("opioid-blockade-conflict");
            assertThat(entries.get(1).path("response").path("outcome").toString()).as(type)
                    .doesNotContain("opioid-blockade-conflict");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private String daysAgo(int days) {
        return now.minus(days, ChronoUnit.DAYS).toString();
    }

    private static String draft(String medicationConcept) {
        return draftWithId("d1", medicationConcept);
    }

    private static String draftWithId(String id, String medicationConcept) {
        return """
                {"resourceType": "MedicationRequest", "id": "%s", "status": "draft", "intent": "order",
                 "medicationCodeableConcept": %s}""".formatted(id, medicationConcept);
    }

    private String request(String service, String hook, String patient, String prefetch, List<String> drafts) {
        List<String> entries = new ArrayList<>();
        drafts.forEach(d -> entries.add("{\"resource\": " + d + "}"));
        return """
                {"hook": "%s", "hookInstance": "%s",
                 "context": {"userId": "Practitioner/1", "patientId": "%s",
                   "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [%s]}}%s}
                """.formatted(hook, UUID.randomUUID(), patient, String.join(",", entries),
                prefetch == null ? "" : ", \"prefetch\": " + prefetch);
    }

    private HttpResponse<String> cds(String service, String patient, String prefetch, String draft) throws Exception {
        String hook = service.endsWith("select") ? "order-select" : "order-sign";
        return post("/cds-services/" + service, "application/json",
                request(service, hook, patient, prefetch, List.of(draft)));
    }

    private static JsonNode onlyCard(HttpResponse<String> response, String topic) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> cards = new ArrayList<>();
        JSON.readTree(response.body()).path("cards").forEach(card -> {
            if (topic.equals(card.path("source").path("topic").path("code").asText())) {
                cards.add(card);
            }
        });
        assertThat(cards).as(response.body()).hasSize(1);
        return cards.get(0);
    }

    private String create(String type, String json) throws Exception {
        HttpResponse<String> response = post("/fhir/" + type, "application/fhir+json", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String location = response.headers().firstValue("Location").orElseThrow();
        String[] parts = location.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals(type)) {
                return parts[i + 1];
            }
        }
        throw new IllegalStateException("no id in " + location);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        String base = FhirTestClient.baseUrl(port).replaceFirst("/fhir$", "");
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType).header("Accept", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
