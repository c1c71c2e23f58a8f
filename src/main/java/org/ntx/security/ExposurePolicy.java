package org.ntx.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether the server may start with the settings it was given: without authentication it may listen only on a
 * loopback address, unless the operator explicitly accepts the risk. Pure: it looks at the configured values only
 * and never resolves a host name.
 */
final class ExposurePolicy {

    enum Decision {
        /** Authentication is on: any address is fine. */
        AUTHENTICATED,
        /** No authentication, but only this machine can connect (the first-run default). */
        OPEN_ON_LOOPBACK,
        /** No authentication on a network address, because {@code ntx.security.allow-insecure=true}: warn loudly. */
        OPEN_ON_NETWORK_BY_REQUEST,
        /** No authentication on a network address: refuse to start. */
        REFUSED
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ExposurePolicy() {}

    static Decision decide(String serverAddress, boolean securityEnabled, boolean allowInsecure) {
        if (securityEnabled) {
            return Decision.AUTHENTICATED;
        }
        if (isLoopback(serverAddress)) {
            return Decision.OPEN_ON_LOOPBACK;
        }
        return allowInsecure ? Decision.OPEN_ON_NETWORK_BY_REQUEST : Decision.REFUSED;
    }

    /**
     * True for {@code localhost} and for IP literals in 127.0.0.0/8 or {@code ::1}. An unset address means every
     * interface (Spring Boot's default), and a host name other than {@code localhost} is treated as reachable from the
     * network: we do not trust name resolution to decide exposure.
     */
    static boolean isLoopback(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return false;
        }
        String address = serverAddress.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (address.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        boolean literal = IPV4.matcher(address).matches() || address.contains(":");
        if (!literal) {
            return false;
        }
        try {
            // An IP literal is parsed, not looked up.
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
