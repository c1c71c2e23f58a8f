package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain FHIR REST API on PostgreSQL: what every EHR integration relies on before any naltrexone logic. */
@IntegrationTest
class FhirRestIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    IGenericClient client;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
    }

    @Test
    void createsReadsUpdatesAndSearchesAPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:test:mrn").setValue("MRN-REST-1");
        patient.addName().setFamily("Rivera").addGiven("Ana");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);

        MethodOutcome created = client.create().resource(patient).execute();
        assertThat(created.getCreated()).isTrue();
        IdType id = (IdType) created.getId();

        Patient read = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Rivera");

        read.getNameFirstRep().setFamily("Rivera-Lopez");
        MethodOutcome updated = client.update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:mrn", "MRN-REST-1"))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        assertThat(((Patient) found.getEntryFirstRep().getResource()).getNameFirstRep().getFamily())
                .isEqualTo("Rivera-Lopez");
    }

    @Test
    void createsReadsUpdatesAndSearchesAMedicationRequest() {
        IdType patientId = (IdType) client.create().resource(new Patient()).execute().getId();
        MedicationRequest order = oralNaltrexoneOrder(patientId.toUnqualifiedVersionless().getValue());

        IdType orderId = (IdType) client.create().resource(order).execute().getId();
        MedicationRequest read = client.read().resource(MedicationRequest.class).withId(orderId.getIdPart()).execute();
        assertThat(read.getMedicationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("1483744");

        read.setStatus(MedicationRequest.MedicationRequestStatus.STOPPED);
        client.update().resource(read).execute();

        Bundle byPatient = client.search().forResource(MedicationRequest.class)
                .where(MedicationRequest.PATIENT.hasId(patientId.getIdPart()))
                .returnBundle(Bundle.class).execute();
        assertThat(byPatient.getEntry()).hasSize(1);
        assertThat(((MedicationRequest) byPatient.getEntryFirstRep().getResource()).getStatus())
                .isEqualTo(MedicationRequest.MedicationRequestStatus.STOPPED);

        Bundle byCode = client.search().forResource(MedicationRequest.class)
                .where(MedicationRequest.PATIENT.hasId(patientId.getIdPart()))
                .and(MedicationRequest.CODE.exactly()
                        .systemAndCode("http://www.nlm.nih.gov/research/umls/rxnorm", "1483744"))
                .returnBundle(Bundle.class).execute();
        assertThat(byCode.getEntry()).hasSize(1);
    }

    @Test
    void storesATransactionBundleWithInternalReferences() {
        Patient patient = new Patient();
        patient.addName().setFamily("Transaction");
        MedicationRequest order = oralNaltrexoneOrder("urn:uuid:6f0c3f0e-0000-4000-8000-000000000001");

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setFullUrl("urn:uuid:6f0c3f0e-0000-4000-8000-000000000001").setResource(patient)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry().setResource(order)
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("MedicationRequest");

        Bundle response = client.transaction().withBundle(transaction).execute();

        assertThat(response.getEntry()).hasSize(2);
        assertThat(response.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
        String patientLocation = response.getEntry().get(0).getResponse().getLocation();
        String orderLocation = response.getEntry().get(1).getResponse().getLocation();
        MedicationRequest stored = client.read().resource(MedicationRequest.class)
                .withId(new IdType(orderLocation).getIdPart()).execute();
        assertThat(stored.getSubject().getReference())
                .isEqualTo(new IdType(patientLocation).toUnqualifiedVersionless().getValue());
    }

    @Test
    void rejectsMalformedJsonWithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = post("/fhir/Patient", "{\"resourceType\": \"Patient\", \"name\": [");
        assertClientError(response, 400);
    }

    @Test
    void rejectsAnUnknownResourceTypeWithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = get("/fhir/Naltrexone/123");
        assertClientError(response, 404);
    }

    @Test
    void rejectsAnInvalidIdWithAnOperationOutcome() throws Exception {
        HttpResponse<String> response = get("/fhir/Patient/not%20a%20valid%20id!");
        assertThat(response.statusCode()).isBetween(400, 499);
        assertThat(response.body()).contains("OperationOutcome").doesNotContain("\tat ");
    }

    @Test
    void rejectsABodyOfTheWrongResourceType() throws Exception {
        HttpResponse<String> response = post("/fhir/Patient", "{\"resourceType\": \"Observation\", \"status\": \"final\"}");
        assertClientError(response, 400);
    }

    @Test
    void reportsHealthToAnonymousCallersAsTheStatusOnly() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("\"db\"")
                .doesNotContain("PostgreSQL");
    }

    @Test
    void publishesInfoAndPrometheusMetrics() throws Exception {
        assertThat(get("/actuator/info").body()).contains("Naltrexone FHIR Service");
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests")
                .as("no tag names a class").doesNotContainPattern("=\"[A-Za-z.]*(Exception|Error|Token)\"");
    }

    @Test
    void servesTheCapabilityStatement() throws Exception {
        HttpResponse<String> metadata = get("/fhir/metadata");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("CapabilityStatement").contains("\"fhirVersion\":\"4.0.1\"");
    }

    @Test
    void refusesAndHidesTheAdministrativeOperationsItDoesNotOffer() throws Exception {
        HttpResponse<String> metadata = get("/fhir/metadata");
        assertThat(metadata.statusCode()).isEqualTo(200);
        for (String hidden : List.of("\"expunge\"", "\"hapi.fhir.merge\"", "\"perform-reindexing-pass\"",
                "\"mark-all-resources-for-reindexing\"", "\"reindex-terminology\"", "\"invalidate-expansion\"")) {
            assertThat(metadata.body()).as(hidden).doesNotContain("\"name\":" + hidden)
                    .doesNotContain("\"name\": " + hidden);
        }
        assertThat(metadata.body()).contains("\"name\":\"naltrexone-status\"", "\"name\":\"validate\"");

        assertClientError(post("/fhir/$expunge", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":"
                + "\"expungeEverything\",\"valueBoolean\":true}]}"), 405);
        assertClientError(post("/fhir/$mark-all-resources-for-reindexing", "{\"resourceType\":\"Parameters\"}"), 405);
        assertClientError(post("/fhir/Patient/$hapi.fhir.merge", "{\"resourceType\":\"Parameters\"}"), 405);
    }

    @Test
    void refusesTurtleWithFourHundredsNotFiveHundreds() throws Exception {
        assertClientError(get("/fhir/metadata?_format=ttl"), 406);
        HttpResponse<String> turtle = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/fhir/Patient")).header("Accept", "text/turtle").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertClientError(turtle, 406);
        HttpResponse<String> turtleBody = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/fhir/Patient")).header("Content-Type", "text/turtle")
                .POST(HttpRequest.BodyPublishers.ofString("@prefix fhir: <http://hl7.org/fhir/> .")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertClientError(turtleBody, 415);
        assertThat(get("/fhir/metadata?_format=json").statusCode()).isEqualTo(200);
    }

    private static MedicationRequest oralNaltrexoneOrder(String patientReference) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setSubject(new Reference(patientReference));
        order.setAuthoredOnElement(new DateTimeType("2026-11-01T09:00:00Z"));
        order.setMedication(new CodeableConcept().addCoding(new Coding(
                "http://www.nlm.nih.gov/research/umls/rxnorm", "1483744",
                "naltrexone hydrochloride 50 MG Oral Tablet")));
        return order;
    }

    private void assertClientError(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).containsPattern("\"resourceType\"\\s*:\\s*\"OperationOutcome\"")
                .doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        String accept = path.startsWith("/fhir") ? "application/fhir+json" : "*/*";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
