package org.ntx.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.List;
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
