package org.ntx.security;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;

import java.time.Instant;
import java.util.List;

/**
 * One FHIR interaction as the audit trail records it.
 *
 * @param recorded      when the response was sent
 * @param caller        who called (the access token's grant, or anonymous)
 * @param remoteAddress the client's network address
 * @param interaction   the FHIR interaction
 * @param target        what was addressed: {@code Patient/123}, {@code MedicationRequest}; {@code null} for a
 *                      server-level operation
 * @param operation     the extended operation called ({@code $everything}, {@code $export}), or {@code null}
 * @param targetExists  whether {@code target} names a resource that exists in this store after the interaction
 * @param query         the search parameters, for searches; otherwise {@code null}
 * @param returned      the resources the response contained or created ({@code Type/id}, all existing)
 * @param status        the HTTP status of the response
 * @param warnings      warnings the response carried (e.g. a profile claim the server does not know)
 */
record FhirAuditRecord(
        Instant recorded,
        AccessGrant caller,
        String remoteAddress,
        RestOperationTypeEnum interaction,
        String target,
        String operation,
        boolean targetExists,
        String query,
        List<String> returned,
        int status,
        List<String> warnings) {

    FhirAuditRecord {
        returned = List.copyOf(returned);
        warnings = List.copyOf(warnings);
    }

    /** An interaction that raised no warning. */
    FhirAuditRecord(Instant recorded, AccessGrant caller, String remoteAddress, RestOperationTypeEnum interaction,
                    String target, String operation, boolean targetExists, String query, List<String> returned,
                    int status) {
        this(recorded, caller, remoteAddress, interaction, target, operation, targetExists, query, returned, status,
                List.of());
    }
}
