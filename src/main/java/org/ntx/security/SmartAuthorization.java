package org.ntx.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** HAPI's authorization interceptor with the rules of the caller's access token (see {@link ScopeRules}). */
final class SmartAuthorization extends AuthorizationInterceptor {

    private final Function<RequestDetails, AccessGrant> grants;

    SmartAuthorization(Function<RequestDetails, AccessGrant> grants) {
        this.grants = grants;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        return ScopeRules.rulesFor(grants.apply(request));
    }

    @Override
    protected void handleDeny(RequestDetails request, Verdict decision) {
        try {
            super.handleDeny(request, decision);
        } catch (ForbiddenOperationException denied) {
            // Same message (it names the deciding rule), in an OperationOutcome with the issue code "forbidden".
            throw forbidden(denied.getMessage());
        }
    }

    /** A 403 whose OperationOutcome says "forbidden", not HAPI's default "processing". */
    static ForbiddenOperationException forbidden(String reason) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN).setDiagnostics(reason);
        return new ForbiddenOperationException(reason, outcome);
    }

    /**
     * Adds {@code patient=Patient/<id>} (or the compartment's equivalent) to searches of a compartment-bound token,
     * so that {@code GET MedicationRequest} returns that patient's orders instead of a 403.
     */
    static final class PatientCompartmentNarrowing extends SearchNarrowingInterceptor {

        private final Function<RequestDetails, AccessGrant> grants;

        PatientCompartmentNarrowing(Function<RequestDetails, AccessGrant> grants) {
            this.grants = grants;
            // Conditional creates, updates, deletes and patches (and their transaction entries) match only inside
            // the compartment: otherwise If-None-Exist searched every patient and answered with another's record.
            setNarrowConditionalUrls(true);
        }

        /**
         * Narrows the searches in a batch or transaction, but never an instance read: HAPI rewrites a GET entry by
         * appending the compartment to its URL, which turned {@code GET Patient/B} into {@code Patient?_id=A} and
         * answered with the caller's own record. Instance reads are left to the authorization rules instead, which
         * refuse another patient's record (403 in that entry).
         */
        @Override
        public void hookIncomingRequestPreHandled(ServletRequestDetails request, HttpServletRequest servletRequest,
                                                  HttpServletResponse servletResponse) {
            if (!(request.getResource() instanceof Bundle bundle)) {
                super.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
                return;
            }
            Map<Bundle.BundleEntryRequestComponent, Bundle.HTTPVerb> instanceReads = new IdentityHashMap<>();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Bundle.BundleEntryRequestComponent entryRequest = entry.getRequest();
                if ((entryRequest.getMethod() == Bundle.HTTPVerb.GET || entryRequest.getMethod() == Bundle.HTTPVerb.HEAD)
                        && isInstanceRead(entryRequest.getUrl())) {
                    instanceReads.put(entryRequest, entryRequest.getMethod());
                    entryRequest.setMethod(null);
                }
            }
            try {
                super.hookIncomingRequestPreHandled(request, servletRequest, servletResponse);
            } finally {
                instanceReads.forEach(Bundle.BundleEntryRequestComponent::setMethod);
            }
        }

        /** {@code Patient/1}, {@code Patient/1/_history/2}, {@code Patient/1/$everything}: not a type-level search. */
        static boolean isInstanceRead(String url) {
            if (url == null) {
                return false;
            }
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            String[] segments = path.replaceFirst("^/", "").split("/");
            return segments.length >= 2 && !segments[1].startsWith("$") && !segments[1].startsWith("_");
        }

        @Override
        protected AuthorizedList buildAuthorizedList(RequestDetails request) {
            AccessGrant grant = grants.apply(request);
            if (!grant.compartmentBound()) {
                return null;
            }
            return new AuthorizedList().addCompartment(ScopeRules.patientId(grant).getValue());
        }
    }
}
