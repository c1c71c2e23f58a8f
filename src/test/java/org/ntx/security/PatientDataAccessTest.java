package org.ntx.security;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may read one patient's whole record outside the FHIR API. */
class PatientDataAccessTest {

    @Test
    void aPatientBoundTokenReachesOnlyItsPatient() {
        AccessGrant grant = AccessGrant.fromClaims(Map.of("sub", "app", "scope", "patient/*.rs", "patient", "p1"));
        assertThat(PatientDataAccess.allows(grant, "p1")).isTrue();
        assertThat(PatientDataAccess.allows(grant, "p2")).isFalse();
        AccessGrant qualified = AccessGrant.fromClaims(
                Map.of("sub", "app", "scope", "patient/*.rs", "patient", "Patient/p1"));
        assertThat(PatientDataAccess.allows(qualified, "p1")).isTrue();
    }

    @Test
    void aUserTokenNeedsReadAndSearchOnEveryType() {
        assertThat(PatientDataAccess.allows(AccessGrant.fromClaims(Map.of("sub", "u", "scope", "user/*.rs")), "p1"))
                .isTrue();
        assertThat(PatientDataAccess.allows(AccessGrant.fromClaims(Map.of("sub", "u", "scope", "user/*.read")), "p1"))
                .as("SMART v1 read implies search").isTrue();
        assertThat(PatientDataAccess.allows(
                AccessGrant.fromClaims(Map.of("sub", "u", "scope", "user/Observation.rs")), "p1")).isFalse();
        assertThat(PatientDataAccess.allows(
                AccessGrant.fromClaims(Map.of("sub", "r", "scope", "ntx/research")), "p1")).isFalse();
        assertThat(PatientDataAccess.allows(AccessGrant.ANONYMOUS, "p1")).isFalse();
        assertThat(PatientDataAccess.allows(AccessGrant.fromClaims(Map.of("sub", "u", "scope",
                "user/MedicationRequest.rs user/MedicationAdministration.rs user/MedicationDispense.rs"
                        + " user/MedicationStatement.rs user/Observation.rs user/Condition.rs user/Medication.rs")), "p1"))
                .as("every type the record is drawn from, named one by one").isTrue();
    }

    @Test
    void aPatientBoundTokenNeedsReadAndSearchOnEveryTypeOfTheRecordToo() {
        AccessGrant labsOnly = AccessGrant.fromClaims(
                Map.of("sub", "app", "scope", "patient/Observation.rs", "patient", "p1"));
        assertThat(PatientDataAccess.refusal(labsOnly, "p1")).hasValueSatisfying(reason ->
                assertThat(reason).contains("MedicationRequest").contains("Condition"));
        AccessGrant readOnly = AccessGrant.fromClaims(Map.of("sub", "app", "scope", "patient/*.r", "patient", "p1"));
        assertThat(PatientDataAccess.allows(readOnly, "p1")).as("read without search is not enough").isFalse();
    }
}
