package org.ntx.security;

import org.ntx.security.SmartScope.Context;
import org.ntx.security.SmartScope.Permission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one access token allows, read from its claims: the SMART scopes, the patient in context, and our research
 * scope. Everything the FHIR authorization rules and the audit trail need to know about the caller.
 *
 * <p>A token with a {@code patient} claim sees only that patient's compartment, whatever the context of its scopes
 * (stricter than SMART, which lets {@code user/} scopes reach beyond the launch patient). {@code patient/} scopes
 * without a {@code patient} claim grant nothing.
 *
 * @param issuer    the token's {@code iss}
 * @param subject   the token's {@code sub} (the user or the backend client)
 * @param clientId  the OAuth client ({@code client_id} or {@code azp}), if the token names it
 * @param patientId the patient in context ({@code patient} claim), or {@code null}
 * @param scopes    the SMART clinical-data scopes the token carries
 * @param research  whether the token carries {@value #RESEARCH_SCOPE}
 */
record AccessGrant(String issuer, String subject, String clientId, String patientId, List<SmartScope> scopes,
                   boolean research) {

    /**
     * Our own scope for research clients: the outcome operations ({@code $naltrexone-outcomes}) and Bulk Data
     * {@code $export}, and nothing else. Outside SMART's grammar on purpose, so no SMART-aware component reads it as
     * access to a resource type.
     */
    static final String RESEARCH_SCOPE = "ntx/research";

    /** No token: only the CapabilityStatement is open. */
    static final AccessGrant ANONYMOUS = new AccessGrant(null, null, null, null, List.of(), false);

    AccessGrant {
        scopes = List.copyOf(scopes);
    }

    /** Reads the standard claims; {@code scope} may be a space-separated string or a list ({@code scp} too). */
    static AccessGrant fromClaims(Map<String, Object> claims) {
        List<String> scopeValues = new ArrayList<>();
        addScopes(claims.get("scope"), scopeValues);
        addScopes(claims.get("scp"), scopeValues);
        List<SmartScope> smartScopes = new ArrayList<>();
        for (String value : scopeValues) {
            SmartScope.parse(value).ifPresent(smartScopes::add);
        }
        String clientId = text(claims.get("client_id"));
        return new AccessGrant(
                text(claims.get("iss")),
                text(claims.get("sub")),
                clientId != null ? clientId : text(claims.get("azp")),
                text(claims.get("patient")),
                smartScopes,
                scopeValues.contains(RESEARCH_SCOPE));
    }

    private static void addScopes(Object claim, List<String> into) {
        if (claim instanceof String text) {
            for (String scope : text.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    into.add(scope);
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> addScopes(value, into));
        }
    }

    private static String text(Object claim) {
        if (claim == null) {
            return null;
        }
        String text = claim.toString().trim();
        return text.isEmpty() ? null : text;
    }

    boolean authenticated() {
        return subject != null || issuer != null;
    }

    /** True when everything this token sees is one patient's compartment. */
    boolean compartmentBound() {
        return patientId != null;
    }

    /**
     * The scopes that count: {@code patient/} scopes only when a patient is in context, plus read access to
     * {@code Binary} for the research scope, because Bulk Data export files are served as Binary resources.
     */
    List<SmartScope> effectiveScopes() {
        List<SmartScope> effective = new ArrayList<>();
        for (SmartScope scope : scopes) {
            if (scope.context() != Context.PATIENT || compartmentBound()) {
                effective.add(scope);
            }
        }
        if (research) {
            effective.add(new SmartScope(Context.SYSTEM, "Binary", EnumSet.of(Permission.READ)));
        }
        return effective;
    }

    /** The permissions on one resource type, from every effective scope that names it or {@code *}. */
    Set<Permission> permissionsOn(String resourceType) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (SmartScope scope : effectiveScopes()) {
            if (scope.appliesTo(resourceType)) {
                permissions.addAll(scope.permissions());
            }
        }
        return permissions;
    }

    /** Permissions per resource type as the scopes name them; the key {@code null} stands for every type. */
    Map<String, Set<Permission>> permissionsByType() {
        Map<String, Set<Permission>> byType = new LinkedHashMap<>();
        for (SmartScope scope : effectiveScopes()) {
            byType.computeIfAbsent(scope.resourceType(), type -> EnumSet.noneOf(Permission.class))
                    .addAll(scope.permissions());
        }
        return byType;
    }

    boolean hasAny(Permission permission) {
        return effectiveScopes().stream().anyMatch(scope -> scope.permissions().contains(permission));
    }

    /** Read and search on every type, for all patients: a population-level reader (e.g. {@code system/*.rs}). */
    boolean readsAllPatients() {
        return !compartmentBound()
                && permissionsOn(null).containsAll(EnumSet.of(Permission.READ, Permission.SEARCH));
    }
}
