package org.ntx.server;

import ca.uhn.fhir.rest.server.IServerAddressStrategy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The FHIR base URL in Bundle links and Location headers when no {@code ntx.server.public-base-url} is configured:
 * the address and port the connection was accepted on, never the client's {@code Host} header, which anyone can set
 * (a forged Host would otherwise be echoed into every {@code next} link a client follows).
 */
final class BoundAddressStrategy implements IServerAddressStrategy {

    @Override
    public String determineServerBase(ServletContext context, HttpServletRequest request) {
        String address = request.getLocalAddr();
        String host = address.contains(":") ? "[" + stripZone(address) + "]" : address;
        return request.getScheme() + "://" + host + ":" + request.getLocalPort() + request.getContextPath()
                + FhirEndpointConfig.FHIR_PATH;
    }

    /** An IPv6 scope ({@code fe80::1%eth0}) is no part of a URL's host. */
    private static String stripZone(String address) {
        int zone = address.indexOf('%');
        return zone < 0 ? address : address.substring(0, zone);
    }
}
