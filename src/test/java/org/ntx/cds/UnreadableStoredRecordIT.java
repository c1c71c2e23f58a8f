package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ntx.support.CdsCalls;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpResponse;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * One stored resource that cannot be read must never silence the safety checks. The attack run stored an XML
 * Observation with {@code <value value="5."/>} (now refused on write, see {@code StorableResources}); HAPI's own
 * reader happens to correct that one decimal when it loads it, so this test stores something no reader can mend: the
 * Observation's body cut off mid-way, written straight into HAPI's table as damage or an older version would leave it.
 * The CDS services and {@code $naltrexone-status} then read the rest of the record, judge it (the blockade still
 * produces its critical card) and name the unreadable resource instead of reporting all data as unavailable.
 */
@IntegrationTest
class UnreadableStoredRecordIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    JdbcTemplate jdbc;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void theBlockadeCardStillFiresAndTheUnreadableRecordIsNamed() throws Exception {
        IGenericClient client = FhirTestClient.forPort(fhirContext, port);
        String patientId = client.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
        ClinicalFixtures story = new ClinicalFixtures(patientId, Instant.now());
        String alt = client.create().resource(story.alt(3, 45, 40)).execute().getId().getIdPart();
        // Cut off mid-way: no JSON parser, tolerant or not, reads it back.
        int poisoned = jdbc.update("UPDATE hfj_res_ver SET res_text_vc = left(res_text_vc, 60) WHERE res_id ="
                + " (SELECT res_id FROM hfj_resource WHERE res_type = 'Observation' AND fhir_id = ?)", alt);
        assertThat(poisoned).isEqualTo(1);
        // Written after the poisoning, so no reusable record from before it can be served.
        client.create().resource(story.injectionDaysAgo(9)).execute();

        CdsCalls cds = new CdsCalls(fhirContext, "http://127.0.0.1:" + port);
        HttpResponse<String> response = cds.post("naltrexone-order-sign",
                cds.orderSign(patientId, story.draft(OXYCODONE_10)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(CdsCalls.topics(response.body())).contains("opioid-blockade-conflict");
        JsonNode cards = json.readTree(response.body()).path("cards");
        boolean named = false;
        for (JsonNode card : cards) {
            if (card.path("source").path("topic").path("code").asText().equals("opioid-blockade-conflict")) {
                assertThat(card.path("indicator").asText()).isEqualTo("critical");
            }
            named |= card.path("detail").asText().contains("Observation/" + alt);
            assertThat(card.path("summary").asText()).doesNotContain("Could not retrieve medications");
        }
        assertThat(named).as("a card names the unreadable record: %s", response.body()).isTrue();

        Parameters status = client.operation().onInstance(new IdType("Patient", patientId))
                .named("$naltrexone-status").withNoParameters(Parameters.class).useHttpGet().execute();
        assertThat(status.getParameter("blockade").getPart().stream()
                .filter(part -> part.getName().equals("phase")).findFirst().orElseThrow().getValue()
                .primitiveValue()).isEqualTo("active");
        assertThat(status.getParameter().stream().filter(p -> p.getName().equals("unreadable"))
                .map(p -> ((org.hl7.fhir.r4.model.Reference) p.getValue()).getReference()).toList()).contains("Observation/" + alt);
        assertThat(status.getParameter().stream().filter(p -> p.getName().equals("unavailable"))
                .map(p -> p.getValue().primitiveValue()).toList()).contains("laboratory results")
                .doesNotContain("medications");

        // A plain write for this patient is still checked against the rest of the record, not a 500.
        int written = client.create().resource(story.order(OXYCODONE_10, 0,
                org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE)).execute().getResponseStatusCode();
        assertThat(written).isEqualTo(201);
    }
}
