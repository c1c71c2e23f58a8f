package org.ntx.operations;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.Finding;
import org.ntx.rules.Topic;
import org.ntx.rules.Trigger;
import org.ntx.server.FhirServerCustomizer;
import org.ntx.terminology.MedicationClassifier;
import org.ntx.terminology.MedicationDescription;
import org.ntx.timeline.Code;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The write-time check for EHRs that send orders by plain FHIR REST: an opioid MedicationRequest created while the
 * patient's naltrexone blockade is active is stored, and the 201 response carries an OperationOutcome warning
 * instead of the resource (its Location header still points to it). With
 * {@code ntx.cds.reject-opioid-orders-during-blockade=true} it is refused with 422 instead.
 *
 * <p>The same check applies to every MedicationRequest a transaction or batch creates: the warning goes into that
 * entry's {@code response.outcome} in the transaction-response or batch-response Bundle (a refusal fails a transaction
 * as a whole, and only that entry of a batch). Orders are screened however they are coded: RxNorm, NDC, text; an order
 * that points to a Medication is always checked in full.
 */
@Interceptor
public class OpioidOrderGuard {

    private static final String WARNING_KEY = OpioidOrderGuard.class.getName() + ".warning";
    /** Warnings of orders created inside a transaction or batch, by the order object, then by its assigned id. */
    private static final String PENDING_KEY = OpioidOrderGuard.class.getName() + ".pending";
    private static final String STORED_KEY = OpioidOrderGuard.class.getName() + ".stored";

    private final OrderCheck check;
    private final MedicationClassifier medications;
    private final FhirContext fhirContext;
    private final boolean reject;

    OpioidOrderGuard(OrderCheck check, MedicationClassifier medications, FhirContext fhirContext, boolean reject) {
        this.check = check;
        this.medications = medications;
        this.fhirContext = fhirContext;
        this.reject = reject;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void checkNewOrder(IBaseResource resource, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails) || !(resource instanceof MedicationRequest order)
                || !isCurrentOpioidOrder(order)) {
            return;
        }
        Optional<String> patientId = TimelineMapper.patientId(order.getSubject());
        if (patientId.isEmpty()) {
            return;
        }
        List<Finding> findings = check.assess(patientId.get(), List.of(order), Trigger.ORDER_SIGN).stream()
                .filter(f -> f.topic() == Topic.OPIOID_BLOCKADE_CONFLICT || f.topic() == Topic.DATA_UNAVAILABLE)
                .toList();
        if (findings.isEmpty()) {
            return;
        }
        if (reject && findings.stream().anyMatch(f -> f.topic() == Topic.OPIOID_BLOCKADE_CONFLICT)) {
            throw new UnprocessableEntityException(fhirContext, FindingOutcomes.toOperationOutcome(findings));
        }
        OperationOutcome warning = new OperationOutcome();
        for (Finding finding : findings) {
            warning.addIssue(FindingOutcomes.issue(finding).setSeverity(OperationOutcome.IssueSeverity.WARNING));
        }
        request.getUserData().put(WARNING_KEY, warning);
        pending(request).put(order, warning);
    }

    /** Once the order has its id (inside the transaction, before commit), its warning can find its response entry. */
    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void rememberStoredOrder(IBaseResource resource, RequestDetails request) {
        if (request == null || !(resource instanceof MedicationRequest)) {
            return;
        }
        OperationOutcome warning = pending(request).remove(resource);
        if (warning != null && resource.getIdElement().hasIdPart()) {
            stored(request).put("MedicationRequest/" + resource.getIdElement().getIdPart(), warning);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<IBaseResource, OperationOutcome> pending(RequestDetails request) {
        return (Map<IBaseResource, OperationOutcome>) request.getUserData()
                .computeIfAbsent(PENDING_KEY, k -> new IdentityHashMap<IBaseResource, OperationOutcome>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, OperationOutcome> stored(RequestDetails request) {
        return (Map<String, OperationOutcome>) request.getUserData()
                .computeIfAbsent(STORED_KEY, k -> new LinkedHashMap<String, OperationOutcome>());
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean attachWarning(RequestDetails request, ResponseDetails response) {
        Object warning = request.getUserData().get(WARNING_KEY);
        if (warning instanceof OperationOutcome outcome && request.getRestOperationType() == RestOperationTypeEnum.CREATE
                && response.getResponseResource() instanceof MedicationRequest created) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics("Stored as " + created.getIdElement().toUnqualifiedVersionless().getValue());
            response.setResponseResource(outcome);
        }
        if (response.getResponseResource() instanceof Bundle bundle
                && (bundle.getType() == Bundle.BundleType.TRANSACTIONRESPONSE
                || bundle.getType() == Bundle.BundleType.BATCHRESPONSE)) {
            Map<String, OperationOutcome> stored = stored(request);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (!entry.hasResponse() || !entry.getResponse().hasLocation()) {
                    continue;
                }
                IdType location = new IdType(entry.getResponse().getLocation());
                OperationOutcome entryWarning = stored.get(location.getResourceType() + "/" + location.getIdPart());
                if (entryWarning != null) {
                    entry.getResponse().setOutcome(entryWarning);
                }
            }
        }
        return true;
    }

    private boolean isCurrentOpioidOrder(MedicationRequest order) {
        MedicationRequest.MedicationRequestStatus status = order.getStatus();
        if (status != MedicationRequest.MedicationRequestStatus.ACTIVE
                && status != MedicationRequest.MedicationRequestStatus.DRAFT
                && status != MedicationRequest.MedicationRequestStatus.ONHOLD) {
            return false;
        }
        if (!order.hasMedicationCodeableConcept()) {
            // A referenced Medication is classified by the full check; only coded orders are screened here.
            return order.hasMedicationReference();
        }
        List<Code> codes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        order.getMedicationCodeableConcept().getCoding().stream()
                .filter(c -> c.hasSystem() && c.hasCode())
                .forEach(c -> codes.add(new Code(c.getSystem(), c.getCode())));
        if (order.getMedicationCodeableConcept().hasText()) {
            texts.add(order.getMedicationCodeableConcept().getText());
        }
        order.getMedicationCodeableConcept().getCoding().stream().filter(Coding::hasDisplay)
                .map(Coding::getDisplay).forEach(texts::add);
        var drugClass = medications.recognise(new MedicationDescription(Set.copyOf(codes), texts, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty())).drugClass();
        return drugClass.isOpioid() || drugClass == org.ntx.timeline.DrugClass.UNCLASSIFIED;
    }

    @Configuration
    static class Registration {

        @Bean
        OpioidOrderGuard opioidOrderGuard(OrderCheck check, MedicationClassifier medications,
                                          FhirContext fhirContext, OperationsProperties properties) {
            return new OpioidOrderGuard(check, medications, fhirContext, properties.rejectOpioidOrdersDuringBlockade());
        }

        @Bean
        FhirServerCustomizer opioidOrderGuardRegistration(OpioidOrderGuard guard) {
            return server -> server.registerInterceptor(guard);
        }
    }
}
