package org.ntx.support;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** CDS Hooks calls as an EHR makes them, without prefetch, for tests that talk to a server over HTTP. */
public final class CdsCalls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FhirContext fhirContext;
    private final String baseUrl;

    public CdsCalls(FhirContext fhirContext, String baseUrl) {
        this.fhirContext = fhirContext;
        this.baseUrl = baseUrl;
    }

    /** An order-sign request for one draft order, with no prefetch: the service reads its own store. */
    public String orderSign(String patientId, MedicationRequest draft) {
        return order("order-sign", patientId, "Practitioner/example", draft, Map.of());
    }

    /**
     * An order-select or order-sign request for one draft order by one prescriber, with no prefetch, and the PDDI
     * CDS IG's configuration items if any ({@code cache-for-order-sign-filtering}, {@code filter-out-repeated-alerts}).
     */
    public String order(String hook, String patientId, String userId, MedicationRequest draft,
                        Map<String, Boolean> pddi) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", userId);
        context.put("patientId", patientId);
        Bundle drafts = new Bundle().setType(Bundle.BundleType.COLLECTION);
        drafts.addEntry().setResource(draft);
        try {
            context.set("draftOrders", JSON.readTree(fhirContext.newJsonParser().encodeResourceToString(drafts)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (hook.equals("order-select") && draft.hasId()) {
            context.putArray("selections").add("MedicationRequest/" + draft.getIdElement().getIdPart());
        }
        if (!pddi.isEmpty()) {
            ObjectNode items = request.putObject("extension").putObject("pddi-configuration-items");
            pddi.forEach(items::put);
        }
        return request.toString();
    }

    /** Feedback overriding one card, with one of our override reasons or none. */
    public static String override(String cardUuid, String reasonCode) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode item = body.putArray("feedback").addObject();
        item.put("card", cardUuid).put("outcome", "overridden").put("outcomeTimestamp", Instant.now().toString());
        if (reasonCode != null) {
            item.putObject("overrideReason").putObject("reason")
                    .put("system", "https://ntx.example.org/fhir/CodeSystem/ntx").put("code", reasonCode);
        }
        return body.toString();
    }

    /** A GET on this server, e.g. discovery; the body of a 200. */
    public String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> feedback(String serviceId, String body) {
        return post(serviceId + "/feedback", body);
    }

    /** The one card of a topic in a CDS response body (fails if there is not exactly one). */
    public static JsonNode card(String responseBody, String topic) {
        try {
            List<JsonNode> cards = new ArrayList<>();
            for (JsonNode card : JSON.readTree(responseBody).path("cards")) {
                if (topic.equals(card.path("source").path("topic").path("code").asText())) {
                    cards.add(card);
                }
            }
            if (cards.size() != 1) {
                throw new AssertionError("expected one " + topic + " card in " + responseBody);
            }
            return cards.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> post(String serviceId, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/cds-services/" + serviceId))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The topic codes of the cards in a CDS response body. */
    public static List<String> topics(String responseBody) {
        try {
            List<String> topics = new ArrayList<>();
            for (JsonNode card : JSON.readTree(responseBody).path("cards")) {
                topics.add(card.path("source").path("topic").path("code").asText());
            }
            return topics;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
