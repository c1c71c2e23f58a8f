package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ntx.security.SmartScopeTest.grant;

/**
 * The HAPI rules built from a token's scopes, evaluated by HAPI's own AuthorizationInterceptor without a server:
 * what a patient app, a clinician app and a research client may and may not do.
 */
class ScopeRulesTest {

    private static final RestfulServer SERVER = new RestfulServer(FhirContext.forR4Cached());

    @Test
    void patientAppReadsItsOwnPatientAndNotAnother() {
        AccessGrant patientApp = grant("patient/*.rs", "p1");
        assertThat(decide(patientApp, read("Patient/p1"), null)).isEqualTo(PolicyEnum.ALLOW);
        assertThat(decide(patientApp, read("Patient/p2"), null)).isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void patientAppSeesOnlyOrdersInItsCompartment() {
        AccessGrant patientApp = grant("patient/MedicationRequest.rs", "p1");
        ServletRequestDetails search = request(RestOperationTypeEnum.SEARCH_TYPE, "MedicationRequest", null);
        assertThat(decideOutgoing(patientApp, search, order("mr1", "Patient/p1"))).isEqualTo(PolicyEnum.ALLOW);
        search = request(RestOperationTypeEnum.SEARCH_TYPE, "MedicationRequest", null);
        assertThat(decideOutgoing(patientApp, search, order("mr2", "Patient/p2"))).isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void clinicianAppWithUserCrudsCreatesAndReadsAnything() {
        AccessGrant clinician = grant("user/*.cruds", null);
        assertThat(decide(clinician, read("Patient/p2"), null)).isEqualTo(PolicyEnum.ALLOW);
        ServletRequestDetails create = request(RestOperationTypeEnum.CREATE, "Patient", null);
        assertThat(decide(clinician, create, new Patient())).isEqualTo(PolicyEnum.ALLOW);
    }

    @Test
    void readOnlyTokenCannotCreate() {
        AccessGrant reader = grant("user/*.rs", null);
        ServletRequestDetails create = request(RestOperationTypeEnum.CREATE, "Patient", null);
        assertThat(decide(reader, create, new Patient())).isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void researchClientRunsTheOutcomeOperationAndExportButReadsNoPatient() {
        AccessGrant research = grant(AccessGrant.RESEARCH_SCOPE, null);

        ServletRequestDetails outcomes = request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null);
        outcomes.setOperation("$naltrexone-outcomes");
        assertThat(decide(research, outcomes, null)).isEqualTo(PolicyEnum.ALLOW);

        ServletRequestDetails export = request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null);
        export.setOperation("$export");
        assertThat(decide(research, export, null)).isEqualTo(PolicyEnum.ALLOW);
        assertThatCode(() -> authorization(research).initiateBulkExport(
                request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null), systemExport(),
                Pointcut.STORAGE_INITIATE_BULK_EXPORT)).doesNotThrowAnyException();

        assertThat(decide(research, read("Patient/p1"), null)).isEqualTo(PolicyEnum.DENY);
        assertThat(decide(research, read("Binary/export-file-1"), null)).isEqualTo(PolicyEnum.ALLOW);
    }

    @Test
    void survivalOperationHasTheScopeOfTheOutcomeOperation() {
        AccessGrant research = grant(AccessGrant.RESEARCH_SCOPE, null);
        AccessGrant patientApp = grant("patient/*.rs", "p1");
        ServletRequestDetails system = request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null);
        system.setOperation("$naltrexone-survival");
        ServletRequestDetails onGroup = request(RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Group",
                new IdType("Group", "g1"));
        onGroup.setOperation("$naltrexone-survival");
        for (ServletRequestDetails call : java.util.List.of(system, onGroup)) {
            assertThat(decide(research, call, null)).isEqualTo(PolicyEnum.ALLOW);
            assertThat(decide(patientApp, call, null)).isEqualTo(PolicyEnum.DENY);
        }
    }

    @Test
    void patientAppCannotExportOrRunResearchOperations() {
        AccessGrant patientApp = grant("patient/*.rs", "p1");
        ServletRequestDetails outcomes = request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null);
        outcomes.setOperation("$naltrexone-outcomes");
        assertThat(decide(patientApp, outcomes, null)).isEqualTo(PolicyEnum.DENY);
        assertThatThrownBy(() -> authorization(patientApp).initiateBulkExport(
                request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null), systemExport(),
                Pointcut.STORAGE_INITIATE_BULK_EXPORT)).isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void anOperationNotListedIsRefusedEvenToAFullAccessToken() {
        AccessGrant everything = grant("user/*.cruds system/*.cruds", null);
        ServletRequestDetails reindex = request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null, null);
        reindex.setOperation("$reindex");
        assertThat(decide(everything, reindex, null)).isEqualTo(PolicyEnum.DENY);
    }

    @Test
    void anonymousCallerGetsOnlyTheCapabilityStatement() {
        ServletRequestDetails metadata = request(RestOperationTypeEnum.METADATA, null, null);
        assertThat(decide(AccessGrant.ANONYMOUS, metadata, null)).isEqualTo(PolicyEnum.ALLOW);
        assertThat(decide(AccessGrant.ANONYMOUS, read("Patient/p1"), null)).isEqualTo(PolicyEnum.DENY);
    }

    private static SmartAuthorization authorization(AccessGrant grant) {
        return new SmartAuthorization(request -> grant);
    }

    private static PolicyEnum decide(AccessGrant grant, ServletRequestDetails request, IBaseResource input) {
        return authorization(grant).applyRulesAndReturnDecision(request.getRestOperationType(), request, input,
                request.getId(), null, Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED).getDecision();
    }

    private static PolicyEnum decideOutgoing(AccessGrant grant, ServletRequestDetails request, IBaseResource output) {
        return authorization(grant).applyRulesAndReturnDecision(request.getRestOperationType(), request, null,
                null, output, Pointcut.SERVER_OUTGOING_RESPONSE).getDecision();
    }

    private static ServletRequestDetails read(String id) {
        IdType idType = new IdType(id);
        return request(RestOperationTypeEnum.READ, idType.getResourceType(), idType);
    }

    private static ServletRequestDetails request(RestOperationTypeEnum operation, String type, IdType id) {
        ServletRequestDetails request = new ServletRequestDetails();
        request.setServer(SERVER);
        request.setRestOperationType(operation);
        request.setResourceName(type);
        request.setId(id);
        return request;
    }

    private static MedicationRequest order(String id, String patient) {
        MedicationRequest order = new MedicationRequest();
        order.setId(new IdType("MedicationRequest", id));
        order.setSubject(new Reference(patient));
        return order;
    }

    private static BulkExportJobParameters systemExport() {
        BulkExportJobParameters parameters = new BulkExportJobParameters();
        parameters.setExportStyle(BulkExportJobParameters.ExportStyle.SYSTEM);
        return parameters;
    }
}
