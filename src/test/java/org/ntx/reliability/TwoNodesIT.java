package org.ntx.reliability;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/**
 * Two application nodes on one PostgreSQL, as behind a load balancer: this test's shared server is one node, the
 * packaged jar in a second JVM is the other. A write through either node is seen at once by a CDS call to the other,
 * so no node answers from a stale private copy of the record.
 */
@IntegrationTest
class TwoNodesIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    TestPostgres postgres;

    @Test
    void aWriteThroughOneNodeIsSeenByACdsCallToTheOther() throws Exception {
        try (ServerProcess second = ServerProcess.start(postgres.springProperties())) {
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
    }

    private static java.util.List<String> topicsOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return CdsCalls.topics(response.body());
    }
}
