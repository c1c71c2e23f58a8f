package org.ntx.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ntx.security.SmartScope.Context;
import org.ntx.security.SmartScope.Permission;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** SMART scopes, v2 letters and v1 words, to the permissions they grant. */
class SmartScopeTest {

    @ParameterizedTest(name = "{0} -> {1} {2} {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # scope                        | context | type              | letters
            patient/*.rs                   | PATIENT | *                 | rs
            user/*.cruds                   | USER    | *                 | cruds
            system/*.rs                    | SYSTEM  | *                 | rs
            patient/MedicationRequest.rs   | PATIENT | MedicationRequest | rs
            user/Observation.r             | USER    | Observation       | r
            user/Patient.cu                | USER    | Patient           | cu
            system/Group.s                 | SYSTEM  | Group             | s
            patient/*.read                 | PATIENT | *                 | rs
            user/MedicationRequest.write   | USER    | MedicationRequest | cud
            system/*.*                     | SYSTEM  | *                 | cruds
            user/Patient.*                 | USER    | Patient           | cruds
            """)
    void grantsThePermissionsItsLettersOrWordsSay(String scope, Context context, String type, String letters) {
        SmartScope parsed = SmartScope.parse(scope).orElseThrow();
        assertThat(parsed.context()).isEqualTo(context);
        assertThat(parsed.resourceType()).isEqualTo(type.equals("*") ? null : type);
        assertThat(parsed.permissions()).isEqualTo(permissions(letters));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "openid", "fhirUser", "launch/patient", "offline_access", "ntx/research",
            "patient/*.sr",                              // v2 letters out of order
            "patient/*.",                                // no permissions
            "patient/*.x",                               // unknown letter
            "practitioner/*.rs",                         // unknown context
            "patient/observation.rs",                    // not a resource type
            "patient/Observation.rs?category=laboratory" // fine-grained: not enforced here, so not granted
    })
    void grantsNothingForScopesItDoesNotEnforce(String scope) {
        assertThat(SmartScope.parse(scope)).isEmpty();
    }

    @Test
    void patientScopesNeedAPatientInContext() {
        AccessGrant withoutPatient = grant("patient/*.rs", null);
        assertThat(withoutPatient.permissionsOn("Patient")).isEmpty();

        AccessGrant withPatient = grant("patient/*.rs", "123");
        assertThat(withPatient.permissionsOn("MedicationRequest")).containsExactlyInAnyOrder(
                Permission.READ, Permission.SEARCH);
        assertThat(withPatient.compartmentBound()).isTrue();
    }

    @Test
    void combinesScopesPerResourceType() {
        AccessGrant grant = grant("user/*.rs user/MedicationRequest.c user/Observation.write", null);
        assertThat(grant.permissionsOn("MedicationRequest")).containsExactlyInAnyOrder(
                Permission.CREATE, Permission.READ, Permission.SEARCH);
        assertThat(grant.permissionsOn("Observation")).isEqualTo(EnumSet.allOf(Permission.class));
        assertThat(grant.permissionsOn("Patient")).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(grant.readsAllPatients()).isTrue();
    }

    @Test
    void readsScopesFromAListClaimToo() {
        AccessGrant grant = AccessGrant.fromClaims(Map.of("iss", "https://idp", "sub", "u1",
                "scp", List.of("system/*.rs", "ntx/research")));
        assertThat(grant.permissionsOn("Patient")).contains(Permission.READ);
        assertThat(grant.research()).isTrue();
    }

    @Test
    void researchScopeAloneReadsOnlyExportFiles() {
        AccessGrant research = grant(AccessGrant.RESEARCH_SCOPE, null);
        assertThat(research.research()).isTrue();
        assertThat(research.permissionsOn("Binary")).containsExactly(Permission.READ);
        assertThat(research.permissionsOn("Patient")).isEmpty();
        assertThat(research.readsAllPatients()).isFalse();
    }

    static AccessGrant grant(String scope, String patient) {
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("iss", "https://idp", "sub", "u1",
                "scope", scope));
        if (patient != null) {
            claims.put("patient", patient);
        }
        return AccessGrant.fromClaims(claims);
    }

    private static Set<Permission> permissions(String letters) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Permission permission : Permission.values()) {
            if (letters.indexOf(permission.letter()) >= 0) {
                permissions.add(permission);
            }
        }
        return permissions;
    }
}
