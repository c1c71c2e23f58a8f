package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.ntx.record.RecordPart;
import org.springframework.http.HttpStatus;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The body of a CDS Hooks call: FHIR content read exactly as sent, unreadable orders refused. */
class CdsRequestParserTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final CdsRequestParser parser = new CdsRequestParser(FHIR);

    @Test
    void decimalsInPrefetchAndDraftOrdersKeepTheirExactValueAndPrecision() {
        String body = """
                {"hook": "order-sign", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                 "context": {"patientId": "p1", "userId": "Practitioner/1",
                   "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [
                     {"resource": {"resourceType": "MedicationRequest", "status": "draft", "intent": "order",
                       "subject": {"reference": "Patient/p1"},
                       "dosageInstruction": [{"doseAndRate": [{"doseQuantity":
                         {"value": 0.1000000000000000055511151231257827, "unit": "mg"}}]}]}}]}},
                 "prefetch": {"labObservations": {"resourceType": "Bundle", "type": "searchset", "entry": [
                   {"resource": {"resourceType": "Observation", "status": "final",
                     "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
                     "valueQuantity": {"value": 45.10, "unit": "U/L"}}}]}}}
                """;

        CdsRequest request = parser.parse(body, CdsHook.ORDER_SIGN);

        MedicationRequest order = (MedicationRequest) request.draftOrders().get(0);
        assertThat(order.getDosageInstructionFirstRep().getDoseAndRateFirstRep().getDoseQuantity().getValue())
                .isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
        Observation alt = (Observation) request.prefetch().get(RecordPart.LAB_OBSERVATIONS).get(0);
        assertThat(alt.getValueQuantity().getValueElement().getValueAsString()).isEqualTo("45.10");
    }

    @Test
    void anOperationOutcomeInPrefetchIsNotData() {
        String body = """
                {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2eb",
                 "context": {"patientId": "p1"},
                 "prefetch": {"conditions": {"resourceType": "OperationOutcome",
                   "issue": [{"severity": "error", "code": "timeout"}]},
                  "patient": {"resourceType": "Patient", "id": "p1"}}}
                """;

        CdsRequest request = parser.parse(body, CdsHook.PATIENT_VIEW);

        assertThat(request.prefetch()).containsOnlyKeys(RecordPart.PATIENT);
    }

    @Test
    void anAccessTokenThatCannotBeSentInAHeaderIsRefused() {
        for (String token : new String[] {"\u2026", "two words", "line\\nbreak"}) {
            String body = """
                    {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ed",
                     "fhirServer": "https://ehr.example.org/fhir",
                     "fhirAuthorization": {"access_token": "%s", "token_type": "Bearer"},
                     "context": {"patientId": "p1"}}
                    """.formatted(token);
            assertThatThrownBy(() -> parser.parse(body, CdsHook.PATIENT_VIEW))
                    .isInstanceOfSatisfying(CdsRequestException.class,
                            e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                    .hasMessageContaining("access_token");
        }
        String valid = """
                {"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ed",
                 "fhirServer": "https://ehr.example.org/fhir",
                 "fhirAuthorization": {"access_token": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln-_~+/=", "token_type": "Bearer"},
                 "context": {"patientId": "p1"}}
                """;
        assertThat(parser.parse(valid, CdsHook.PATIENT_VIEW).accessToken()).isPresent();
    }

    @Test
    void draftOrdersThatAreNotFhirAreRefusedRatherThanCheckedAsNothing() {
        String body = """
                {"hook": "order-sign", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ec",
                 "context": {"patientId": "p1", "draftOrders": {"entry": []}}}
                """;

        assertThatThrownBy(() -> parser.parse(body, CdsHook.ORDER_SIGN))
                .isInstanceOfSatisfying(CdsRequestException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                .hasMessageContaining("draftOrders");
    }

    @Test
    void moreDraftOrdersThanTheLimitAreRefusedBeforeAnyIsParsed() {
        String draft = "{\"resource\": {\"resourceType\": \"MedicationRequest\", \"status\": \"draft\","
                + " \"intent\": \"order\", \"subject\": {\"reference\": \"Patient/p1\"}}}";
        String body = """
                {"hook": "order-sign", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ed",
                 "context": {"patientId": "p1", "draftOrders": {"resourceType": "Bundle", "type": "collection",
                   "entry": [%s]}}}
                """.formatted(String.join(",", java.util.Collections.nCopies(
                CdsRequestParser.DEFAULT_MAX_DRAFT_ORDERS + 1, draft)));

        assertThatThrownBy(() -> parser.parse(body, CdsHook.ORDER_SIGN))
                .isInstanceOfSatisfying(CdsRequestException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST))
                .hasMessageContaining("at most " + CdsRequestParser.DEFAULT_MAX_DRAFT_ORDERS);
        String allowed = body.replaceFirst(java.util.regex.Pattern.quote(draft + ","), "");
        assertThat(parser.parse(allowed, CdsHook.ORDER_SIGN).draftOrders())
                .hasSize(CdsRequestParser.DEFAULT_MAX_DRAFT_ORDERS);
    }
}
