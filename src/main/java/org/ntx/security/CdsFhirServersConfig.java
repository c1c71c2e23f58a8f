package org.ntx.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The FHIR servers each CDS client may have us read; unrestricted while authentication is off. */
@Configuration(proxyBeanMethods = false)
class CdsFhirServersConfig {

    @Bean
    CdsFhirServers cdsFhirServers(SecurityProperties security, CdsClientProperties clients) {
        if (!security.enabled()) {
            return CdsFhirServers.unrestricted();
        }
        Map<String, List<String>> byIssuer = new LinkedHashMap<>();
        for (CdsClientProperties.TrustedClient client : clients.cdsClients()) {
            byIssuer.put(client.issuer(), client.fhirServers());
        }
        return new CdsFhirServers(true, byIssuer);
    }
}
