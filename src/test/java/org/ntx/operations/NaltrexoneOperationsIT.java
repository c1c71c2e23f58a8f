package org.ntx.operations;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ntx.support.ClinicalFixtures;
import org.ntx.support.FhirTestClient;
import org.ntx.support.IntegrationTest;
import org.ntx.support.RunningServer;
import org.ntx.support.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ntx.support.ClinicalFixtures.IBUPROFEN;
import static org.ntx.support.ClinicalFixtures.MORPHINE_INJECTION;
import static org.ntx.support.ClinicalFixtures.NALTREXONE_XR_380;
import static org.ntx.support.ClinicalFixtures.OXYCODONE_10;

/** The naltrexone checks for clients without CDS Hooks: two operations and the check on plain FHIR writes. */
@IntegrationTest
class NaltrexoneOperationsIT {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    final Instant now = Instant.now();
    final HttpClient http = HttpClient.newHttpClient();
    IGenericClient client;

    @BeforeEach
    void connect() {
        client = FhirTestClient.forPort(fhirContext, port);
    }

    @Test
    void statusReportsTheBlockadeTheInductionWindowAndLiverResultsAsMultiplesOfTheUpperLimit() {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.dispenseDaysAgo(OXYCODONE_10, 40, 10)).execute();
        client.create().resource(story.injectionDaysAgo(10)).execute();
        client.create().resource(story.alt(12, 120, 40)).execute();

        Parameters status = client.operation().onInstance(new IdType("Patient", patientId))
                .named("$naltrexone-status").withNoParameters(Parameters.class).useHttpGet().execute();

        Parameters.ParametersParameterComponent blockade = status.getParameter("blockade");
        assertThat(part(blockade, "phase").primitiveValue()).isEqualTo("active");
        assertThat(((BooleanType) part(blockade, "active")).booleanValue()).isTrue();
        assertThat(part(blockade, "activeUntil")).isNotNull();
        assertThat(part(blockade, "nextInjectionDue")).isNotNull();
        Parameters.ParametersParameterComponent window = status.getParameter("opioidFreeWindow");
        assertThat(part(window, "lastOpioidExposure")).isNotNull();
        assertThat(((BooleanType) part(window, "open")).booleanValue()).isFalse();
        Parameters.ParametersParameterComponent liver = status.getParameter("liverResult");
        assertThat(((DecimalType) part(liver, "multipleOfUpperLimit")).getValue()).isEqualByComparingTo("3.0");
    }

    @Test
    void statusOfAnUnknownPatientIs404() {
        assertThatThrownBy(() -> client.operation().onInstance(new IdType("Patient", "no-such-patient"))
                .named("$naltrexone-status").withNoParameters(Parameters.class).useHttpGet().execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void checkReturnsTheBlockadeConflictAsAnIssueCarryingItsTopic() {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();

        OperationOutcome checked = postCheck(story.draft(MORPHINE_INJECTION));
        assertThat(checked.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("opioid-blockade-conflict");
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        });
    }

    @Test
    void checkIsQuietForANonOpioid() {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();

        OperationOutcome checked = postCheck(story.draft(IBUPROFEN));
        assertThat(checked.getIssue()).allSatisfy(issue ->
                assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.INFORMATION));
    }

    @Test
    void storesAnOpioidOrderDuringTheBlockadeAndWarnsInThe201Response() throws Exception {
        String patientId = storedPatient();
        ClinicalFixtures story = new ClinicalFixtures(patientId, now);
        client.create().resource(story.injectionDaysAgo(9)).execute();
        MedicationRequest opioid = story.order(OXYCODONE_10, 0, MedicationRequest.MedicationRequestStatus.ACTIVE);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(FhirTestClient.baseUrl(port) + "/MedicationRequest"))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhirContext.newJsonParser().encodeResourceToString(opioid)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        OperationOutcome warning = (OperationOutcome) fhirContext.newJsonParser().parseResource(response.body());
        assertThat(warning.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.WARNING);
            assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo("opioid-blockade-conflict");
        });
        String location = response.headers().firstValue("Location").orElseThrow();
        MedicationRequest stored = client.read().resource(MedicationRequest.class)
                .withId(new IdType(location).getIdPart()).execute();
        assertThat(stored.getMedicationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("1049683");
    }

    @Test
    void returnsTheResourceAsUsualForAnOpioidOrderWithoutBlockade() {
        String patientId = storedPatient();
        MedicationRequest opioid = new ClinicalFixtures(patientId, now)
                .order(OXYCODONE_10, 0, MedicationRequest.MedicationRequestStatus.ACTIVE);
        assertThat(client.create().resource(opioid).execute().getResource()).isInstanceOf(MedicationRequest.class);
    }

    @Test
    void refusesOpioidOrdersDuringTheBlockadeWhenConfiguredTo() {
        try (TestPostgres postgres = TestPostgres.start()) {
            Map<String, Object> properties = new HashMap<>(postgres.springProperties());
            properties.put("ntx.cds.reject-opioid-orders-during-blockade", "true");
            try (RunningServer strict = RunningServer.start(properties)) {
                IGenericClient strictClient = strict.fhirClient();
                String patientId = ((IdType) strictClient.create().resource(new Patient()).execute().getId())
                        .getIdPart();
                ClinicalFixtures story = new ClinicalFixtures(patientId, now);
                strictClient.create().resource(story.injectionDaysAgo(3)).execute();

                MedicationRequest opioid = story.order(OXYCODONE_10, 0,
                        MedicationRequest.MedicationRequestStatus.ACTIVE);
                assertThatThrownBy(() -> strictClient.create().resource(opioid).execute())
                        .isInstanceOf(UnprocessableEntityException.class)
                        .hasMessageContaining("blockade");

                // A naltrexone order is never refused by this check.
                MedicationRequest naltrexone = story.order(NALTREXONE_XR_380, 0,
                        MedicationRequest.MedicationRequestStatus.ACTIVE);
                assertThat(strictClient.create().resource(naltrexone).execute().getCreated()).isTrue();
            }
        }
    }

    /** Posts the draft order itself as the body, as a simple client would. */
    private OperationOutcome postCheck(MedicationRequest draft) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(FhirTestClient.baseUrl(port) + "/MedicationRequest/$naltrexone-check"))
                    .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            fhirContext.newJsonParser().encodeResourceToString(draft)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return (OperationOutcome) fhirContext.newJsonParser().parseResource(response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String storedPatient() {
        return ((IdType) client.create().resource(new Patient()).execute().getId()).getIdPart();
    }

    private static org.hl7.fhir.r4.model.Type part(Parameters.ParametersParameterComponent parameter, String name) {
        return parameter.getPart().stream().filter(p -> p.getName().equals(name)).findFirst()
                .map(Parameters.ParametersParameterComponent::getValue).orElse(null);
    }
}
