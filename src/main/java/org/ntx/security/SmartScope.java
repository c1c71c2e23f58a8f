package org.ntx.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART on FHIR clinical-data scope, e.g. {@code patient/MedicationRequest.rs} or {@code user/*.write}.
 *
 * <p>SMART App Launch 2.0 "Scopes and Launch Context": {@code context/resource.permissions}, where the v2
 * permissions are the letters {@code c r u d s} in that order, and the v1 forms {@code read} (= {@code rs}),
 * {@code write} (= {@code cud}) and {@code *} (= {@code cruds}) remain valid. Fine-grained v2 scopes with a query
 * ({@code patient/Observation.rs?category=laboratory}) are not enforced here, so they grant nothing rather than more
 * than they say.
 *
 * @param context      whose data: the patient in context, the user, or the whole system (backend services)
 * @param resourceType a FHIR resource type, or {@code null} for every type ({@code *})
 * @param permissions  what the scope allows on that type
 */
record SmartScope(Context context, String resourceType, Set<Permission> permissions) {

    enum Context { PATIENT, USER, SYSTEM }

    /** The SMART v2 permission letters. */
    enum Permission {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        private final char letter;

        Permission(char letter) {
            this.letter = letter;
        }

        char letter() {
            return letter;
        }
    }

    private static final Pattern SCOPE =
            Pattern.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]*)\\.(\\*|read|write|c?r?u?d?s?)");

    SmartScope {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    /** The scope, or empty for anything that is not a (supported) SMART clinical-data scope. */
    static Optional<SmartScope> parse(String scope) {
        Matcher matcher = SCOPE.matcher(scope);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Set<Permission> permissions = switch (matcher.group(3)) {
            case "read" -> EnumSet.of(Permission.READ, Permission.SEARCH);
            case "write" -> EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
            case "*" -> EnumSet.allOf(Permission.class);
            default -> letters(matcher.group(3));
        };
        if (permissions.isEmpty()) {
            return Optional.empty();
        }
        Context context = Context.valueOf(matcher.group(1).toUpperCase(Locale.ROOT));
        String type = matcher.group(2).equals("*") ? null : matcher.group(2);
        return Optional.of(new SmartScope(context, type, permissions));
    }

    private static Set<Permission> letters(String letters) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (letters.indexOf(permission.letter()) >= 0) {
                permissions.add(permission);
            }
        }
        return permissions;
    }

    boolean appliesTo(String type) {
        return resourceType == null || resourceType.equals(type);
    }
}
