package org.ntx.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths the security rules and Tomcat would read alike pass; every other spelling is refused before either. */
class CanonicalRequestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/fhir", "/fhir/", "/fhir/Patient/123/$everything", "/fhir/Patient/a-b.c/_history/2",
            "/cds-services/naltrexone-order-sign/feedback", "/api/patients/p-1/timeline", "/actuator/health",
            "/fhir/.well-known/smart-configuration", "/index.html", "/fhir/Patient/x:y@z!$&'()*+,="})
    void acceptsCanonicalPaths(String path) {
        assertThat(CanonicalRequests.problem(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%63ds-services/naltrexone-patient-view", "/fhi%72/Patient", "/fhir/Patient/%31",
            "/cds%2Dservices/x", "/fhir%2FPatient", "/fhir/Patient%252F1", "//fhir/Patient", "/fhir//Patient",
            "/./fhir/Patient", "/fhir/./Patient", "/x/../fhir/Patient", "/fhir/..", "/fhir;x=1/Patient",
            "/cds-services/x;jsessionid=1", "/fhir\\Patient", "/fhir/Pat ient", "/fhir/Pati\u00e9nt", "/fhir/\u0000",
            "/fhir/%2e%2e/api", "fhir/Patient", "/api/patients/%00/timeline", "/fhir/Patient\t"})
    void refusesEveryOtherSpelling(String path) {
        assertThat(CanonicalRequests.problem(path)).isPresent();
    }
}
