package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.security.SmartScopeTest.grant;

/** The AuditEvents we store are valid FHIR R4 and say who, what, when and how it went. */
class AuditEventsTest {

    static final Instant WHEN = Instant.parse("2026-11-20T10:00:00Z");
    static FhirValidator validator;

    @BeforeAll
    static void validator() {
        FhirContext fhir = FhirContext.forR4Cached();
        ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir), new CommonCodeSystemsTerminologyService(fhir));
        validator = fhir.newValidator().registerValidatorModule(new FhirInstanceValidator(support));
    }

    @Test
    void recordsAPatientAppReadingItsRecord() {
        AuditEvent event = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, grant("patient/*.rs", "p1"),
                "127.0.0.1", RestOperationTypeEnum.READ, "Patient/p1", null, true, null, List.of("Patient/p1"), 200));

        assertValid(event);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("u1");
        assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getReference())
                .isEqualTo("Patient/p1"));
        assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getRole().getCode()).isEqualTo("1"));
    }

    @Test
    void recordsTheWarningsOfAnInteractionSuchAsAnUnknownProfileClaim() {
        AuditEvent event = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, grant("user/*.cruds", null),
                "127.0.0.1", RestOperationTypeEnum.CREATE, "Patient", null, false, null, List.of("Patient/p7"), 201,
                List.of("Patient/p7: Profile http://example.org/unknown is not known to this server")));

        assertValid(event);
        assertThat(event.getOutcomeDesc()).startsWith("HTTP 201; warnings: Patient/p7: Profile http://example.org/unknown");
    }

    @Test
    void recordsARefusedSearchWithItsQueryAndNoReferences() {
        AuditEvent event = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, grant("user/Patient.r", null),
                "10.1.2.3", RestOperationTypeEnum.SEARCH_TYPE, "MedicationRequest", null, false, "patient=Patient/p9",
                List.of(), 403));

        assertValid(event);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getEntity()).allSatisfy(entity -> assertThat(entity.getWhat().hasReference()).isFalse());
        assertThat(event.getEntityFirstRep().getQuery()).asString().isEqualTo("patient=Patient/p9");
    }

    @Test
    void recordsAnAnonymousDeleteWithoutReferencingTheDeletedResource() {
        AuditEvent event = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, AccessGrant.ANONYMOUS, null,
                RestOperationTypeEnum.DELETE, "Patient/p3", null, false, null, List.of(), 200));

        assertValid(event);
        assertThat(event.getAgentFirstRep().getWho().getDisplay()).isEqualTo("anonymous");
        assertThat(event.getEntityFirstRep().getName()).isEqualTo("Patient/p3");
        assertThat(event.getEntityFirstRep().getWhat().hasReference()).isFalse();
    }

    /**
     * An operation on an instance references the instance, never "Patient/p1/$everything": that is no reference,
     * and HAPI refused to store the record ("Could not store the audit record" after every $everything).
     */
    @Test
    void recordsAnInstanceOperationAgainstTheInstanceWithTheOperationNamed() {
        AuditEvent event = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, grant("user/*.rs", null),
                "127.0.0.1", RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Patient/p1", "$everything", true,
                null, List.of("Patient/p1", "Observation/o1"), 200));

        assertValid(event);
        assertThat(event.getEntity()).filteredOn(entity -> entity.getWhat().hasReference())
                .extracting(entity -> entity.getWhat().getReference())
                .containsExactly("Patient/p1", "Observation/o1");
        assertThat(event.getEntity()).anySatisfy(entity ->
                assertThat(entity.getDescription()).isEqualTo("operation $everything"));

        AuditEvent export = AuditEvents.fhirInteraction(new FhirAuditRecord(WHEN, grant("user/*.rs", null),
                "127.0.0.1", RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, "$export", false, null,
                List.of(), 202));
        assertValid(export);
        assertThat(export.getEntityFirstRep().getName()).isEqualTo("$export");
        assertThat(export.getEntityFirstRep().getWhat().hasReference()).isFalse();
    }

    @Test
    void countsRefusedAuthenticationsInOneRecord() {
        AuditEvent event = AuditEvents.unauthenticated(new AuditEvents.Refusals(WHEN.minusSeconds(60), WHEN,
                java.util.Map.of("fhir no-token", 3L, "cds-services invalid-token", 2L),
                java.util.Set.of("10.0.0.1", "10.0.0.2"), 7));

        assertValid(event);
        assertThat(event.getType().getCode()).isEqualTo("110114");
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(event.getAgent()).extracting(agent -> agent.getNetwork().getAddress())
                .containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(event.getEntityFirstRep().getDetail())
                .extracting(detail -> detail.getType() + "=" + detail.getValue().primitiveValue())
                .contains("refused=5", "fhir no-token=3", "cds-services invalid-token=2", "more-addresses=7");
    }

    @Test
    void recordsACdsCallWithClientUserPatientHookAndCards() {
        AuditEvent event = AuditEvents.cdsCall(new CdsAuditRecord("naltrexone-order-check", "order-sign",
                "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "https://sandbox.cds-hooks.org", "Practitioner/example",
                "1288992", 2, List.of("opioid-blockade", "liver-safety"), 200), WHEN);

        assertValid(event);
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("order-sign");
        assertThat(event.getAgent()).extracting(agent -> agent.getWho().getIdentifier().getValue())
                .containsExactly("Practitioner/example", "https://sandbox.cds-hooks.org");
        assertThat(event.getEntity()).anySatisfy(entity -> {
            assertThat(entity.getName()).isEqualTo("Patient/1288992");
            assertThat(entity.getWhat().hasReference()).as("never a reference into our store").isFalse();
        });
        assertThat(event.getEntity()).anySatisfy(entity -> assertThat(entity.getDetail())
                .extracting(detail -> detail.getType() + "=" + detail.getValue().primitiveValue())
                .contains("cards=2", "topics=opioid-blockade,liver-safety"));
    }

    private static void assertValid(AuditEvent event) {
        ValidationResult result = validator.validateWithResult(event);
        assertThat(result.getMessages()).filteredOn(message -> message.getSeverity()
                .ordinal() >= ResultSeverityEnum.ERROR.ordinal()).isEmpty();
    }
}
