package org.ntx.reliability;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.support.CdsCalls;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.ntx.support.ServerProcess;
import org.ntx.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * Two application nodes on one PostgreSQL, as behind a load balancer: this test's shared server is one node, the
 * packaged jar in a second JVM is the other. A write through either node is seen at once by a CDS call to the other,
 * so no node answers from a stale private copy of the record; and a card answered through one node is recognised by
 * the other, including a node started after the answer was given (as after a restart).
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesIT {

    static final String PRESCRIBER = "Practitioner/two-nodes";

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    TestPostgres postgres;

    ServerProcess second;
    String answeredPatient;
    String answeredCard;

    /** Before the second node exists: a card overridden at order-select through this node. */
    @BeforeAll
    void answerACardThenStartTheSecondNode() throws Exception {
        IGenericClient first = FhirTestClient.forPort(fhirContext, port);
        answeredPatient = ((IdType) first.create().resource(new Patient()).execute().getId()).getIdPart();
        ClinicalFixtures story = new ClinicalFixtures(answeredPatient, Instant.now());
        first.create().resource(story.injectionDaysAgo(9)).execute();
        CdsCalls onFirst = new CdsCalls(fhirContext, "http://127.0.0.1:" + port);
        answeredCard = CdsCalls.card(onFirst.post("naltrexone-order-select", onFirst.order("order-select",
                answeredPatient, PRESCRIBER, story.draft(OXYCODONE_10), Map.of())).body(), "opioid-blockade-conflict")
                .get("uuid").asText();
        assertThat(onFirst.feedback("naltrexone-order-select", CdsCalls.override(answeredCard,
                "pain-emergency-monitored-setting")).statusCode()).isEqualTo(200);
        second = ServerProcess.start(postgres.springProperties());
    }

    @AfterAll
    void stopTheSecondNode() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aCardAnsweredThroughOneNodeIsAcknowledgedAtSigningOnTheOther() throws Exception {
        CdsCalls onSecond = new CdsCalls(fhirContext, second.baseUrl());
        ClinicalFixtures story = new ClinicalFixtures(answeredPatient, Instant.now());

        JsonNode signed = CdsCalls.card(onSecond.post("naltrexone-order-sign", onSecond.order("order-sign",
                answeredPatient, PRESCRIBER, story.draft(OXYCODONE_10), Map.of())).body(), "opioid-blockade-conflict");

        assertThat(signed.get("indicator").asText()).isEqualTo("info");
        assertThat(signed.get("summary").asText()).contains("acknowledged at selection");

        // And the other way round: selected and answered through the second node, signed on this one.
        IGenericClient first = FhirTestClient.forPort(fhirContext, port);
        String patient = ((IdType) first.create().resource(new Patient()).execute().getId()).getIdPart();
        ClinicalFixtures other = new ClinicalFixtures(patient, Instant.now());
        first.create().resource(other.injectionDaysAgo(5)).execute();
        String card = CdsCalls.card(onSecond.post("naltrexone-order-select", onSecond.order("order-select", patient,
                PRESCRIBER, other.draft(OXYCODONE_10), Map.of())).body(), "opioid-blockade-conflict").get("uuid").asText();
        assertThat(onSecond.feedback("naltrexone-order-select", CdsCalls.override(card, null)).statusCode())
                .isEqualTo(200);
        CdsCalls onFirst = new CdsCalls(fhirContext, "http://127.0.0.1:" + port);
        assertThat(CdsCalls.card(onFirst.post("naltrexone-order-sign", onFirst.order("order-sign", patient,
                PRESCRIBER, other.draft(OXYCODONE_10), Map.of())).body(), "opioid-blockade-conflict")
                .get("summary").asText()).contains("acknowledged at selection");
    }

    @Test
    void aWriteThroughOneNodeIsSeenByACdsCallToTheOther() throws Exception {
        // A clean start on PostgreSQL too (FirstRunIT checks H2): the package installed over the first node's,
        // and not one ERROR line.
        assertThat(second.log().lines().filter(line -> line.matches("^\\S+\\s+ERROR\\s.*")).toList()).isEmpty();
        assertThat(second.log()).contains("value sets expand");
        IGenericClient first = FhirTestClient.forPort(fhirContext, port);
        IGenericClient secondFhir = fhirContext.newRestfulGenericClient(second.baseUrl() + "/fhir");
        Instant now = Instant.now();

        // Written through this node, checked on the other.
        String patientA = ((IdType) first.create().resource(new Patient()).execute().getId()).getIdPart();
        ClinicalFixtures storyA = new ClinicalFixtures(patientA, now);
        CdsCalls onSecond = new CdsCalls(fhirContext, second.baseUrl());
        assertThat(topicsOf(onSecond.post("naltrexone-order-sign", onSecond.orderSign(patientA,
                storyA.draft(OXYCODONE_10))))).doesNotContain("opioid-blockade-conflict");
        first.create().resource(storyA.injectionDaysAgo(9)).execute();
        assertThat(topicsOf(onSecond.post("naltrexone-order-sign", onSecond.orderSign(patientA,
                storyA.draft(OXYCODONE_10))))).contains("opioid-blockade-conflict");

        // And the other way round.
        String patientB = ((IdType) secondFhir.create().resource(new Patient()).execute().getId()).getIdPart();
        ClinicalFixtures storyB = new ClinicalFixtures(patientB, now);
        secondFhir.create().resource(storyB.injectionDaysAgo(3)).execute();
        CdsCalls onFirst = new CdsCalls(fhirContext, "http://127.0.0.1:" + port);
        assertThat(topicsOf(onFirst.post("naltrexone-order-sign", onFirst.orderSign(patientB,
                storyB.draft(OXYCODONE_10))))).contains("opioid-blockade-conflict");
    }

    private static java.util.List<String> topicsOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CdsCalls.topics(response.body());
    }
}
