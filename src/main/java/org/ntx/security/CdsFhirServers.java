package org.ntx.security;

import org.springframework.security.core.Authentication;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which FHIR servers a CDS client may have us read ({@code fhirServer} in its request), so that a call cannot make
 * this server fetch its own {@code /actuator}, a loopback port or any internal address with the client's lent token.
 * With authentication on, each configured client lists its FHIR base URLs
 * ({@code ntx.security.cds-clients[i].fhir-servers}); a {@code fhirServer} that is not one of them, exactly (scheme,
 * host, port and path; no user info, query or fragment), is refused and nothing is fetched. With authentication off
 * (a development server on loopback) any http(s) URL is read, which the README names as a risk.
 */
public class CdsFhirServers {

    private final boolean enforced;
    private final Map<String, Set<String>> byIssuer;

    CdsFhirServers(boolean enforced, Map<String, ? extends java.util.Collection<String>> byIssuer) {
        this.enforced = enforced;
        Map<String, Set<String>> normalized = new HashMap<>();
        byIssuer.forEach((issuer, urls) -> normalized.put(issuer,
                urls.stream().map(CdsServiceUrls::normalize).collect(Collectors.toUnmodifiableSet())));
        this.byIssuer = Map.copyOf(normalized);
    }

    /** No restriction: authentication is off. */
    public static CdsFhirServers unrestricted() {
        return new CdsFhirServers(false, Map.of());
    }

    /**
     * Why the verified CDS client {@code client} may not have us read {@code fhirServer}, or empty when it may.
     *
     * @param client the call's principal (the verified CDS client), {@code null} when authentication is off
     */
    public Optional<String> refusal(Principal client, String fhirServer) {
        if (!enforced) {
            return Optional.empty();
        }
        String issuer = client instanceof Authentication authentication && authentication.isAuthenticated()
                ? client.getName() : null;
        Set<String> allowed = issuer == null ? Set.of() : byIssuer.getOrDefault(issuer, Set.of());
        if (plain(fhirServer) && allowed.contains(CdsServiceUrls.normalize(fhirServer))) {
            return Optional.empty();
        }
        return Optional.of("The fhirServer of this call is not one of the FHIR servers configured for this CDS client"
                + " (ntx.security.cds-clients[i].fhir-servers); nothing was read from it");
    }

    /** An absolute http(s) URL with a host and nothing a comparison of base URLs would overlook. */
    private static boolean plain(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && uri.getHost() != null && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
