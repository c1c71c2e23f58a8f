package org.ntx.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import org.ntx.security.SmartScope.Permission;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the kind of interaction against the SMART permission letters before HAPI's rules look at resources: HAPI
 * does not tell a read from a search ({@code r} vs {@code s}) or a create from an update ({@code c} vs {@code u}),
 * and does not check {@code $meta} or {@code $validate} at all. Refuses with 403 and an OperationOutcome.
 *
 * <p>Transactions, batches, paging and extended operations pass here; their contents are checked by
 * {@link ScopeRules}. Inside a transaction HAPI's "write" rule lets {@code u} create as well.
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR - 1)
final class ScopeGate {

    private final Function<RequestDetails, AccessGrant> grants;

    ScopeGate(Function<RequestDetails, AccessGrant> grants) {
        this.grants = grants;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null) {
            return;
        }
        refusal(grants.apply(request), operation, request.getResourceName()).ifPresent(reason -> {
            throw SmartAuthorization.forbidden(reason);
        });
    }

    /** Why the grant does not allow this interaction, or empty when it does (or when the rules decide). */
    static Optional<String> refusal(AccessGrant grant, RestOperationTypeEnum operation, String resourceType) {
        return switch (operation) {
            case METADATA, GET_PAGE, TRANSACTION, BATCH,
                 EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> Optional.empty();
            case READ, VREAD, HISTORY_INSTANCE, META -> need(grant, resourceType, Set.of(Permission.READ), "read");
            case SEARCH_TYPE, HISTORY_TYPE -> need(grant, resourceType, Set.of(Permission.SEARCH), "search");
            case SEARCH_SYSTEM, HISTORY_SYSTEM -> grant.hasAny(Permission.SEARCH) ? Optional.empty()
                    : Optional.of("The access token's scopes do not permit searching");
            case CREATE -> need(grant, resourceType, Set.of(Permission.CREATE), "create");
            case UPDATE, PATCH, META_ADD, META_DELETE ->
                    need(grant, resourceType, Set.of(Permission.UPDATE), "update");
            case DELETE -> need(grant, resourceType, Set.of(Permission.DELETE), "delete");
            case VALIDATE -> need(grant, resourceType, Set.of(Permission.CREATE, Permission.UPDATE), "validate");
            default -> Optional.of("The " + operation.getCode() + " interaction is not available");
        };
    }

    /** Passes when the grant holds at least one of {@code anyOf} on the type. */
    private static Optional<String> need(AccessGrant grant, String type, Set<Permission> anyOf, String verb) {
        Set<Permission> held = grant.permissionsOn(type);
        if (anyOf.stream().anyMatch(held::contains)) {
            return Optional.empty();
        }
        return Optional.of("The access token's scopes do not permit " + verb + " on "
                + (type == null ? "this resource" : type));
    }
}
