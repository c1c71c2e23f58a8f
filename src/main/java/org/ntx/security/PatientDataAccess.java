package org.ntx.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.security.Principal;
import java.time.Clock;
import java.util.List;

/**
 * Access to one patient's data outside the FHIR API (the web page's {@code /api}): the same rule the FHIR API applies
 * to a whole-record read, and the same audit trail.
 *
 * <p>With authentication on, the caller's access token must either be bound to this patient ({@code patient} claim)
 * or read and search every type for all patients (e.g. {@code user/*.rs}); the timeline draws on most resource types,
 * so a token limited to a few types is refused rather than shown a partial, misleading record.
 */
public class PatientDataAccess {

    private final boolean enforced;
    private final AuditTrail audit;
    private final Clock clock;

    /** @param enforced whether authentication is on; when off, every read is allowed (and still audited if asked) */
    public PatientDataAccess(boolean enforced, AuditTrail audit, Clock clock) {
        this.enforced = enforced;
        this.audit = audit;
        this.clock = clock;
    }

    /** Refused: the caller may not read this patient's record. */
    public static final class Denied extends RuntimeException {
        Denied(String message) {
            super(message);
        }
    }

    /**
     * Checks that {@code caller} may read the whole record of {@code patientId}, and records the read in the audit
     * trail (denials included).
     *
     * @throws Denied when authentication is on and the token does not reach this patient
     */
    public void read(Principal caller, String patientId, String remoteAddress) {
        AccessGrant grant = caller instanceof JwtAuthenticationToken token
                ? AccessGrant.fromClaims(token.getToken().getClaims()) : AccessGrant.ANONYMOUS;
        boolean allowed = !enforced || allows(grant, patientId);
        if (audit.active()) {
            audit.fhirInteraction(new FhirAuditRecord(clock.instant(), grant, remoteAddress,
                    RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Patient/" + patientId, allowed,
                    null, List.of(), allowed ? 200 : 403));
        }
        if (!allowed) {
            throw new Denied("This access token does not allow reading the record of Patient/" + patientId);
        }
    }

    static boolean allows(AccessGrant grant, String patientId) {
        if (grant.compartmentBound()) {
            return ScopeRules.patientId(grant).getIdPart().equals(patientId);
        }
        return grant.readsAllPatients();
    }
}
