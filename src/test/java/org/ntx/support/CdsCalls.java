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
import java.util.ArrayList;
import java.util.List;
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
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", "order-sign");
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/example");
        context.put("patientId", patientId);
        Bundle drafts = new Bundle().setType(Bundle.BundleType.COLLECTION);
        drafts.addEntry().setResource(draft);
        try {
            context.set("draftOrders", JSON.readTree(fhirContext.newJsonParser().encodeResourceToString(drafts)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return request.toString();
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
