package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.FhirTestClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every read or write through /fhir and every CDS call leaves an AuditEvent in the server's own store, naming who
 * (token subject or CDS client), what, and the outcome; written in the background, so the tests wait for it.
 */
@SecuredIntegrationTest
class SecurityAuditIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    UnauthenticatedRequests unauthenticated;

    TestHttp http;
    IGenericClient auditor;
    String patientId;

    @BeforeEach
    void seed() {
        http = new TestHttp(port);
        auditor = client(TestTokens.fhirAccessToken("auditor", "user/*.cruds", null));
        patientId = auditor.create().resource(new Patient().setActive(true)).execute().getId().getIdPart();
    }

    @Test
    void recordsWhoReadAPatient() {
        String reader = "clinician-" + UUID.randomUUID();
        assertThat(http.get("/fhir/Patient/" + patientId, TestTokens.fhirAccessToken(reader, "user/*.rs", null))
                .statusCode()).isEqualTo(200);

        AuditEvent read = awaitEvent("AuditEvent?entity=Patient/" + patientId + "&subtype=read",
                event -> reader.equals(event.getAgentFirstRep().getWho().getIdentifier().getValue()));
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(read.getAgentFirstRep().getWho().getIdentifier().getSystem()).isEqualTo(TestTokens.FHIR_ISSUER);
        assertThat(read.getAgentFirstRep().getAltId()).isEqualTo("test-app");
    }

    @Test
    void recordsARefusedRead() {
        String other = auditor.create().resource(new Patient()).execute().getId().getIdPart();
        String nosy = "patient-app-" + UUID.randomUUID();
        assertThat(http.get("/fhir/Patient/" + other, TestTokens.fhirAccessToken(nosy, "patient/*.rs", patientId))
                .statusCode()).isEqualTo(403);

        AuditEvent refused = awaitEvent("AuditEvent?entity-name:exact=Patient/" + other + "&subtype=read",
                event -> nosy.equals(event.getAgentFirstRep().getWho().getIdentifier().getValue()));
        assertThat(refused.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(refused.getOutcomeDesc()).isEqualTo("HTTP 403");
        assertThat(refused.getEntity()).anySatisfy(entity -> {
            assertThat(entity.getRole().getCode()).isEqualTo("1");
            assertThat(entity.getName()).isEqualTo("Patient/" + patientId);
        });
    }

    @Test
    void recordsACdsCallWithoutCreatingThePatientItNames() {
        String externalPatient = "ehr-" + UUID.randomUUID();
        String token = TestTokens.sandboxCdsToken(http.url(SecurityCdsClientIT.ORDER_SIGN));
        assertThat(http.postJson(SecurityCdsClientIT.ORDER_SIGN, token,
                SecurityCdsClientIT.hookRequest(externalPatient, null)).statusCode()).isEqualTo(200);

        AuditEvent call = awaitEvent("AuditEvent?entity-name:exact=Patient/" + externalPatient, event -> true);
        assertThat(call.getSubtypeFirstRep().getCode()).isEqualTo("order-sign");
        assertThat(call.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue())
                .isEqualTo(TestTokens.SANDBOX_ISSUER));
        assertThat(call.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue())
                .isEqualTo("Practitioner/example"));
        assertThat(call.getEntity()).anySatisfy(entity -> assertThat(entity.getDetail())
                .anySatisfy(detail -> assertThat(detail.getType()).isEqualTo("cards")));

        assertThat(http.get("/fhir/Patient/" + externalPatient,
                TestTokens.fhirAccessToken("auditor", "user/*.cruds", null)).statusCode()).isEqualTo(404);
    }

    /**
     * $everything and $naltrexone-status used to leave no record at all: it named "Patient/1/$everything" as a
     * reference, which could not be stored.
     */
    @Test
    void recordsSuccessfulPatientOperations() {
        String reader = "clinician-" + UUID.randomUUID();
        String token = TestTokens.fhirAccessToken(reader, "user/*.rs", null);
        for (String operation : List.of("$everything", "$naltrexone-status")) {
            assertThat(http.get("/fhir/Patient/" + patientId + "/" + operation, token).statusCode())
                    .as(operation).isEqualTo(200);
            AuditEvent event = awaitEvent("AuditEvent?entity=Patient/" + patientId
                            + "&subtype=operation&_sort=-date&_count=200",
                    candidate -> reader.equals(candidate.getAgentFirstRep().getWho().getIdentifier().getValue())
                            && candidate.getEntity().stream().anyMatch(entity ->
                            ("operation " + operation).equals(entity.getDescription())));
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        }
    }

    /** 401s leave one counted record per interval, holding no token. */
    @Test
    void countsUnauthenticatedRequestsInARecordWithoutTheToken() {
        String forged = "forged-token-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/fhir/Patient/" + patientId, forged).statusCode()).isEqualTo(401);
        }
        assertThat(http.get("/fhir/Patient/" + patientId, null).statusCode()).isEqualTo(401);
        unauthenticated.flush();

        AuditEvent counted = awaitEvent("AuditEvent?type=110114&_sort=-date&_count=200", event -> event.getEntity().stream()
                .flatMap(entity -> entity.getDetail().stream())
                .anyMatch(detail -> detail.getType().equals("fhir invalid-token")
                        && Long.parseLong(detail.getValue().primitiveValue()) >= 3));
        assertThat(counted.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(fhirContext.newJsonParser().encodeResourceToString(counted)).doesNotContain(forged)
                .doesNotContain("forged-token");
    }

    private AuditEvent awaitEvent(String search, java.util.function.Predicate<AuditEvent> matching) {
        AuditEvent[] found = new AuditEvent[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            // No cached result: HAPI reuses a search's results for a minute, and the record is written meanwhile.
            Bundle bundle = auditor.search().byUrl(search).returnBundle(Bundle.class)
                    .cacheControl(new CacheControlDirective().setNoCache(true)).execute();
            List<AuditEvent> events = bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                    .filter(matching).toList();
            found[0] = events.isEmpty() ? null : events.get(0);
            return found[0] != null;
        });
        return found[0];
    }

    private IGenericClient client(String token) {
        IGenericClient client = FhirTestClient.forPort(fhirContext, port);
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }
}
