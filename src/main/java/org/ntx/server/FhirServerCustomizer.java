package org.ntx.server;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * A capability's contribution to the FHIR endpoint (an operation provider, an interceptor). Each capability declares
 * its own customizer bean, so the endpoint's configuration does not have to know about all of them.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server);
}
