package org.ntx.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.ntx.security.SmartScope.Permission;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.security.Principal;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Access to one patient's record outside the FHIR API (the web page's {@code /api}: the timeline and the CDS try-out),
 * with the same audit trail.
 *
 * <p>With authentication on, the caller's access token must reach the patient (bound to this patient by its
 * {@code patient} claim, or not bound to any) and must read and search every resource type the record is drawn from
 * ({@link #RECORD_TYPES}): the timeline and the cards show medications, laboratory results and conditions alike, so a
 * token limited to some of those types ({@code patient/Observation.rs}) is refused rather than shown the others or a
 * partial, misleading record.
 */
public class PatientDataAccess {

    /** The resource types a patient's record is read from (see {@code cds.PrefetchKey}) and the Medications it names. */
    static final List<String> RECORD_TYPES = List.of("MedicationRequest", "MedicationAdministration",
            "MedicationDispense", "MedicationStatement", "Observation", "Condition", "Medication");

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
     * @param use what the record is read for, for the audit trail ({@code timeline}, {@code cds-services/...})
     * @throws Denied when authentication is on and the token does not reach this patient and every record type
     */
    public void read(Principal caller, String patientId, String remoteAddress, String use) {
        AccessGrant grant = caller instanceof JwtAuthenticationToken token
                ? AccessGrant.fromClaims(token.getToken().getClaims()) : AccessGrant.ANONYMOUS;
        Optional<String> refusal = enforced ? refusal(grant, patientId) : Optional.empty();
        if (audit.active()) {
            audit.fhirInteraction(new FhirAuditRecord(clock.instant(), grant, remoteAddress,
                    RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, "Patient/" + patientId, use,
                    // Named, never referenced: the patient may not exist here, and a reference would create one.
                    false, null, List.of(), refusal.isEmpty() ? 200 : 403));
        }
        refusal.ifPresent(reason -> {
            throw new Denied(reason);
        });
    }

    static boolean allows(AccessGrant grant, String patientId) {
        return refusal(grant, patientId).isEmpty();
    }

    /** Why {@code grant} may not read the record of {@code patientId}, or empty when it may. */
    static Optional<String> refusal(AccessGrant grant, String patientId) {
        String denied = "This access token does not allow reading the record of Patient/" + patientId;
        if (!grant.authenticated()) {
            return Optional.of(denied);
        }
        if (grant.compartmentBound() && !ScopeRules.patientId(grant).getIdPart().equals(patientId)) {
            return Optional.of(denied + ": it is bound to another patient");
        }
        List<String> missing = RECORD_TYPES.stream()
                .filter(type -> !grant.permissionsOn(type).containsAll(EnumSet.of(Permission.READ, Permission.SEARCH)))
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of(denied + ": the record is drawn from " + String.join(", ", RECORD_TYPES)
                    + ", and the token may not read and search " + String.join(", ", missing));
        }
        return Optional.empty();
    }
}
