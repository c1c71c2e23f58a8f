package org.ntx.security;

import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A CDS client names only the FHIR servers configured for it; nothing else is read, however it is spelled. */
class CdsFhirServersTest {

    final CdsFhirServers servers = new CdsFhirServers(true, Map.of(
            "https://ehr.example", List.of("https://fhir.ehr.example/r4/"),
            "https://other.example", List.of()));
    final Principal ehr = new CdsClientAuthentication(new CdsClient("https://ehr.example", null, "j", null));
    final Principal other = new CdsClientAuthentication(new CdsClient("https://other.example", null, "j", null));

    @Test
    void acceptsTheConfiguredBaseUrlInAnyEquivalentSpelling() {
        assertThat(servers.refusal(ehr, "https://fhir.ehr.example/r4")).isEmpty();
        assertThat(servers.refusal(ehr, "HTTPS://FHIR.EHR.EXAMPLE:443/r4/")).isEmpty();
    }

    @Test
    void refusesEveryOtherServerPortPathOrSpelling() {
        for (String url : List.of("http://127.0.0.1:8080/actuator", "http://localhost/fhir", "http://169.254.169.254/",
                "https://fhir.ehr.example/r4/../admin", "https://fhir.ehr.example:8443/r4", "http://fhir.ehr.example/r4",
                "https://fhir.ehr.example/r4?x=1", "https://fhir.ehr.example/r4#x",
                "https://fhir.ehr.example@evil.example/r4", "https://fhir.ehr.example.evil.example/r4",
                "https://fhir.ehr.example/r4/Patient", "https://fhir.ehr.example/R4", "file:///etc/passwd",
                "https://fhir.ehr.example/%72%34", "not a url")) {
            assertThat(servers.refusal(ehr, url)).as(url).isPresent();
        }
    }

    @Test
    void aClientWithoutConfiguredServersOrAnUnknownCallerMayNameNone() {
        assertThat(servers.refusal(other, "https://fhir.ehr.example/r4")).isPresent();
        assertThat(servers.refusal(null, "https://fhir.ehr.example/r4")).isPresent();
    }

    @Test
    void withAuthenticationOffAnyServerIsRead() {
        assertThat(CdsFhirServers.unrestricted().refusal(null, "http://127.0.0.1:9/fhir")).isEmpty();
    }
}
