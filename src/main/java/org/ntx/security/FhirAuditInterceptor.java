package org.ntx.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.ntx.profiles.ProfileClaims;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Hands every FHIR interaction on {@code /fhir} (except the CapabilityStatement) to the {@link AuditTrail} once it
 * has been answered: successes with the resources returned or created, failures (403s included) with their status.
 * Registered on the REST server only, so the audit trail's own writes through the DAO are never audited.
 */
@Interceptor
final class FhirAuditInterceptor {

    /** At most this many returned resources are named in one AuditEvent (a search page is at most 500). */
    static final int MAX_RETURNED = 1000;

    private static final String RETURNED_KEY = FhirAuditInterceptor.class.getName() + ".returned";

    /** Interactions after which the addressed resource exists here (so the AuditEvent may reference it). */
    private static final Set<RestOperationTypeEnum> TARGET_EXISTS_AFTER = EnumSet.of(
            RestOperationTypeEnum.READ, RestOperationTypeEnum.VREAD, RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE);

    private final AuditTrail trail;
    private final Clock clock;

    FhirAuditInterceptor(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void rememberReturned(RequestDetails request, ResponseDetails response) {
        request.getUserData().put(RETURNED_KEY, resourcesIn(response.getResponseResource()));
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void answered(ServletRequestDetails request) {
        record(request, request.getServletResponse().getStatus(), true);
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        record(request, exception.getStatusCode(), false);
        return true;
    }

    private void record(RequestDetails request, int status, boolean success) {
        RestOperationTypeEnum interaction = request.getRestOperationType();
        if (interaction == null || interaction == RestOperationTypeEnum.METADATA) {
            return;
        }
        List<String> returned = new ArrayList<>();
        if (success) {
            Object remembered = request.getUserData().get(RETURNED_KEY);
            if (remembered instanceof List<?> list) {
                list.forEach(item -> returned.add(item.toString()));
            }
            createdLocation(request).ifPresent(location -> {
                if (!returned.contains(location)) {
                    returned.add(location);
                }
            });
        }
        String target = target(request);
        String operation = request.getOperation() != null && request.getOperation().startsWith("$")
                ? request.getOperation() : null;
        boolean search = interaction == RestOperationTypeEnum.SEARCH_TYPE
                || interaction == RestOperationTypeEnum.SEARCH_SYSTEM;
        trail.fhirInteraction(new FhirAuditRecord(
                clock.instant(),
                FhirCallers.grantOf(request),
                request instanceof ServletRequestDetails servlet ? servlet.getServletRequest().getRemoteAddr() : null,
                interaction,
                target,
                operation,
                success && TARGET_EXISTS_AFTER.contains(interaction) && request.getId() != null,
                search ? query(request.getParameters()) : null,
                returned,
                status,
                warnings(request)));
    }

    private static List<String> warnings(RequestDetails request) {
        List<String> warnings = new ArrayList<>();
        if (request.getUserData().get(ProfileClaims.WARNINGS_KEY) instanceof List<?> list) {
            list.forEach(item -> warnings.add(item.toString()));
        }
        return warnings;
    }

    /**
     * {@code Patient/123} or {@code Patient}; {@code null} for a server-level operation. Never the operation itself:
     * {@code Patient/123/$everything} is no reference, and an AuditEvent naming it as one could not be stored.
     */
    private static String target(RequestDetails request) {
        IIdType id = request.getId();
        return id != null && id.hasIdPart() && id.hasResourceType()
                ? id.toUnqualifiedVersionless().getValue()
                : request.getResourceName();
    }

    private static Optional<String> createdLocation(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.CREATE
                || !(request instanceof ServletRequestDetails servlet)) {
            return Optional.empty();
        }
        String location = servlet.getServletResponse().getHeader("Location");
        if (location == null) {
            return Optional.empty();
        }
        IdType id = new IdType(location);
        return id.hasResourceType() && id.hasIdPart()
                ? Optional.of(id.toUnqualifiedVersionless().getValue())
                : Optional.empty();
    }

    private static List<String> resourcesIn(IBaseResource resource) {
        List<String> references = new ArrayList<>();
        if (resource instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (references.size() >= MAX_RETURNED) {
                    break;
                }
                String reference = null;
                if (entry.hasResource() && entry.getResource().getIdElement().hasIdPart()) {
                    reference = reference(entry.getResource().getIdElement());
                } else if (entry.hasResponse() && entry.getResponse().hasLocation()) {
                    reference = reference(new IdType(entry.getResponse().getLocation()));
                }
                if (reference != null && !reference.startsWith("OperationOutcome/")) {
                    references.add(reference);
                }
            }
        } else if (resource != null && resource.getIdElement().hasIdPart()) {
            String reference = reference(resource.getIdElement());
            if (reference != null) {
                references.add(reference);
            }
        }
        return references;
    }

    private static String reference(IIdType id) {
        return id.hasResourceType() && id.hasIdPart() ? id.toUnqualifiedVersionless().getValue() : null;
    }

    /** The search parameters as received (after search narrowing), for the AuditEvent's query entity only. */
    private static String query(Map<String, String[]> parameters) {
        StringJoiner query = new StringJoiner("&");
        parameters.forEach((name, values) -> {
            for (String value : values) {
                query.add(name + "=" + value);
            }
        });
        return query.toString();
    }
}
