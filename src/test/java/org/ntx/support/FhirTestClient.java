package org.ntx.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

/** HAPI generic clients for tests, pointed at a server on loopback. */
public final class FhirTestClient {

    private FhirTestClient() {}

    public static IGenericClient forPort(FhirContext fhirContext, int port) {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhirContext.newRestfulGenericClient(baseUrl(port));
    }

    public static String baseUrl(int port) {
        return "http://127.0.0.1:" + port + "/fhir";
    }
}
