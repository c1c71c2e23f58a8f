package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
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

    private AuditEvent awaitEvent(String search, java.util.function.Predicate<AuditEvent> matching) {
        AuditEvent[] found = new AuditEvent[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Bundle bundle = auditor.search().byUrl(search).returnBundle(Bundle.class).execute();
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
