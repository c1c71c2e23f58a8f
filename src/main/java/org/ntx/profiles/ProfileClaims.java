package org.ntx.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * No silent profile claims. A resource that names in {@code meta.profile} a profile this server does not know (not
 * in our package, not an R4 core profile, not a StructureDefinition stored here) is stored, because EHRs send such
 * claims routinely, but it was not validated against that profile, and the client is told so: the answer to a create
 * or update is an OperationOutcome with a warning per unknown profile (and the stored id), and in a transaction or
 * batch the warnings are each entry's {@code response.outcome}. The warnings are also in the request's user data
 * ({@link #WARNINGS_KEY}), where the audit trail reads them.
 */
@Interceptor
public final class ProfileClaims {

    /** Request user data: {@code List<String>} of "Type/id: diagnostics" lines, for the audit trail. */
    public static final String WARNINGS_KEY = ProfileClaims.class.getName() + ".warnings";
    private static final String PENDING_KEY = ProfileClaims.class.getName() + ".pending";

    private final IValidationSupport knownProfiles;

    public ProfileClaims(IValidationSupport knownProfiles) {
        this.knownProfiles = knownProfiles;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void onCreate(IBaseResource resource, RequestDetails request) {
        check(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void onUpdate(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        check(updated, request);
    }

    private void check(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof Resource r) || request == null) {
            return;
        }
        List<OperationOutcome.OperationOutcomeIssueComponent> issues = new ArrayList<>();
        List<CanonicalType> claims = r.getMeta().getProfile();
        for (int i = 0; i < claims.size(); i++) {
            String url = claims.get(i).getValue();
            if (url != null && !isKnown(url)) {
                issues.add(new OperationOutcome.OperationOutcomeIssueComponent()
                        .setSeverity(OperationOutcome.IssueSeverity.WARNING)
                        .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                        .setDiagnostics("Profile " + url + " is not known to this server: the resource was stored"
                                + " without being validated against it")
                        .addExpression(r.fhirType() + ".meta.profile[" + i + "]"));
            }
        }
        if (!issues.isEmpty()) {
            pending(request).put(r, issues);
        }
    }

    private boolean isKnown(String url) {
        String unversioned = url.contains("|") ? url.substring(0, url.indexOf('|')) : url;
        return knownProfiles.fetchStructureDefinition(url) != null
                || knownProfiles.fetchStructureDefinition(unversioned) != null;
    }

    @SuppressWarnings("unchecked")
    private static Map<Resource, List<OperationOutcome.OperationOutcomeIssueComponent>> pending(RequestDetails request) {
        return (Map<Resource, List<OperationOutcome.OperationOutcomeIssueComponent>>) request.getUserData()
                .computeIfAbsent(PENDING_KEY, k -> new LinkedHashMap<>());
    }

    /** Runs before the response is written: by now every stored resource carries its id. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean attachWarnings(RequestDetails request, ResponseDetails response) {
        Object value = request.getUserData().get(PENDING_KEY);
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return true;
        }
        Map<Resource, List<OperationOutcome.OperationOutcomeIssueComponent>> pending = pending(request);
        Map<String, List<OperationOutcome.OperationOutcomeIssueComponent>> byId = new LinkedHashMap<>();
        List<String> audit = new ArrayList<>();
        pending.forEach((resource, issues) -> {
            String id = resource.getIdElement().toUnqualifiedVersionless().getValue();
            byId.put(id, issues);
            issues.forEach(issue -> audit.add(id + ": " + issue.getDiagnostics()));
        });
        request.getUserData().put(WARNINGS_KEY, List.copyOf(audit));

        RestOperationTypeEnum operation = request.getRestOperationType();
        IBaseResource body = response.getResponseResource();
        if (body instanceof Bundle bundle && (operation == RestOperationTypeEnum.TRANSACTION
                || operation == RestOperationTypeEnum.BATCH)) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                String location = entry.getResponse().getLocation();
                byId.forEach((id, issues) -> {
                    if (location != null && (location.equals(id) || location.startsWith(id + "/"))) {
                        OperationOutcome outcome = entry.getResponse().getOutcome() instanceof OperationOutcome known
                                ? known : new OperationOutcome();
                        issues.forEach(outcome::addIssue);
                        entry.getResponse().setOutcome(outcome);
                    }
                });
            }
        } else if (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE) {
            OperationOutcome outcome = body instanceof OperationOutcome known ? known : new OperationOutcome();
            byId.forEach((id, issues) -> {
                issues.forEach(outcome::addIssue);
                if (!(body instanceof OperationOutcome)) {
                    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                            .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("Stored as " + id);
                }
            });
            response.setResponseResource(outcome);
        }
        return true;
    }
}
