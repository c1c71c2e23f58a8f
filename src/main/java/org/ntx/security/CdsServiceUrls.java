package org.ntx.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.StringUtils;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The URL a CDS client must put in its JWT's {@code aud}: the service endpoint it calls, e.g.
 * {@code https://cds.example.org/cds-services/naltrexone-order-check}. Behind a proxy the server does not see the
 * public URL, so {@code ntx.server.public-base-url} (the public FHIR base, ending in {@code /fhir}) decides the
 * scheme, host, port and path prefix; without it the request's own URL is used, which trusts the {@code Host} header.
 */
final class CdsServiceUrls {

    private static final String FEEDBACK = "/feedback";

    private final String publicBase;

    /** @param publicFhirBaseUrl {@code ntx.server.public-base-url}, or empty */
    CdsServiceUrls(String publicFhirBaseUrl) {
        this.publicBase = StringUtils.hasText(publicFhirBaseUrl) ? withoutFhirSuffix(publicFhirBaseUrl.trim()) : null;
    }

    /**
     * The normalized audiences this request may carry: the URL called, and for a feedback call also the service's own
     * URL (CDS Hooks names "the CDS Service endpoint" without saying which one feedback uses).
     */
    Set<String> acceptedAudiences(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String base = publicBase != null ? publicBase : origin(request) + request.getContextPath();
        String called = normalize(base + path);
        Set<String> audiences = new LinkedHashSet<>();
        audiences.add(called);
        if (called.endsWith(FEEDBACK)) {
            audiences.add(called.substring(0, called.length() - FEEDBACK.length()));
        }
        return audiences;
    }

    /** Lower-case scheme and host, no default port, no trailing slash, no query: so equal URLs compare equal. */
    static String normalize(String url) {
        try {
            URI uri = new URI(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return url;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
                port = -1;
            }
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return url;
        }
    }

    private static String origin(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    }

    private static String withoutFhirSuffix(String fhirBase) {
        String base = fhirBase;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }
}
