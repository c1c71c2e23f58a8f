package org.ntx.outcomes;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk Data export at system, Patient and Group level produces ndjson files a researcher can parse. HAPI advances
 * export jobs on its maintenance pass (about once a minute); the test runs that pass itself instead of sleeping.
 */
@IntegrationTest
class BulkExportIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    IGenericClient client;
    String patientId;

    @BeforeEach
    void seed() {
        client = FhirTestClient.forPort(fhirContext, port);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:test:bulk").setValue("BULK-1");
        patientId = ((IdType) client.create().resource(patient).execute().getId()).toUnqualifiedVersionless()
                .getValue();
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setSubject(new Reference(patientId));
        order.setMedication(new CodeableConcept().addCoding(
                new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "637213", "naltrexone 380 MG Injection")));
        client.create().resource(order).execute();
    }

    @Test
    void exportsTheWholeSystemAsNdjson() throws Exception {
        List<Resource> exported = export("/fhir/$export?_type=Patient,MedicationRequest");
        assertThat(exported).anyMatch(r -> r instanceof Patient);
        assertThat(exported).anyMatch(r -> r instanceof MedicationRequest);
    }

    @Test
    void exportsAtPatientLevel() throws Exception {
        List<Resource> exported = export("/fhir/Patient/$export?_type=Patient,MedicationRequest");
        assertThat(exported).anyMatch(r -> r instanceof MedicationRequest m
                && patientId.equals(m.getSubject().getReference()));
    }

    @Test
    void exportsOnlyTheMembersOfAGroup() throws Exception {
        Group group = new Group();
        group.setType(Group.GroupType.PERSON).setActual(true);
        group.addMember().setEntity(new Reference(patientId));
        String groupId = ((IdType) client.create().resource(group).execute().getId()).getIdPart();

        List<Resource> exported = export("/fhir/Group/" + groupId + "/$export?_type=Patient,MedicationRequest");
        assertThat(exported).isNotEmpty().allSatisfy(resource -> {
            String subject = resource instanceof Patient p ? p.getIdElement().toUnqualifiedVersionless().getValue()
                    : ((MedicationRequest) resource).getSubject().getReference();
            // Every resource of a Group export belongs to one of the Group's members.
            assertThat(subject).isEqualTo(patientId);
        });
    }

    /** Kicks off an export, drives HAPI's job maintenance until it completes, and parses every ndjson line. */
    private List<Resource> export(String kickOffPath) throws Exception {
        HttpResponse<String> kickOff = http.send(HttpRequest.newBuilder(uri(kickOffPath))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String statusUrl = kickOff.headers().firstValue("Content-Location").orElseThrow();

        HttpResponse<String> status = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            jobMaintenance.forceMaintenancePass();
            status = http.send(HttpRequest.newBuilder(URI.create(statusUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (status.statusCode() == 200) {
                break;
            }
            assertThat(status.statusCode()).as(status.body()).isEqualTo(202);
            Thread.sleep(250);
        }
        assertThat(status.statusCode()).as("export did not complete").isEqualTo(200);

        List<Resource> resources = new ArrayList<>();
        JsonNode manifest = json.readTree(status.body());
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = http.send(HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                    .header("Accept", "application/fhir+ndjson").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            for (String line : file.body().split("\n")) {
                if (!line.isBlank()) {
                    resources.add((Resource) fhirContext.newJsonParser().parseResource(line));
                }
            }
        }
        return resources;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
