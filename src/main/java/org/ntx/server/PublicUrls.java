package org.ntx.server;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that builds the absolute URLs this server hands out for people to open: the topic page a card's
 * {@code source.url} and citations point to, the patient timeline, the SMART launch URL. Behind a proxy the server
 * does not see its public address, so {@code ntx.server.public-base-url} (the public FHIR base, ending in
 * {@code /fhir}) decides; without it the current request's scheme, host and context path are used.
 */
@Component
public class PublicUrls {

    private final Optional<String> configured;
    private final Supplier<String> fromRequest;

    @Autowired
    PublicUrls(ServerProperties server) {
        this(server.publicBaseUrl(), () -> ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString());
    }

    /** A fixed public FHIR base, for code that runs outside a request (tests, reports). */
    public static PublicUrls fixed(String publicFhirBaseUrl) {
        return new PublicUrls(publicFhirBaseUrl, () -> {
            throw new IllegalStateException("no public base URL");
        });
    }

    private PublicUrls(String publicFhirBaseUrl, Supplier<String> fromRequest) {
        this.configured = StringUtils.hasText(publicFhirBaseUrl)
                ? Optional.of(withoutFhirSuffix(publicFhirBaseUrl.trim())) : Optional.empty();
        this.fromRequest = fromRequest;
    }

    /** The web root: {@code https://ntx.example.org} for a public FHIR base {@code https://ntx.example.org/fhir}. */
    public String webBase() {
        return configured.orElseGet(() -> trimSlashes(fromRequest.get()));
    }

    /** The page about one card topic: what the card means, its rule and thresholds, its sources. */
    public String topicPage(String topicCode) {
        return webBase() + "/cards/" + encode(topicCode);
    }

    /** A place on the topic page, e.g. one citation. */
    public String topicPage(String topicCode, String anchor) {
        return topicPage(topicCode) + "#" + encode(anchor);
    }

    /** The web page opened on one patient's timeline (a plain link, for servers without authentication). */
    public String patientTimeline(String patientId) {
        return webBase() + "/?patient=" + encode(patientId);
    }

    /** Where an EHR launches the web page as a SMART app (it adds {@code launch} and {@code iss}). */
    public String smartLaunch() {
        return webBase() + "/";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String withoutFhirSuffix(String fhirBase) {
        String base = trimSlashes(fhirBase);
        return base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
    }

    private static String trimSlashes(String url) {
        String base = url;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base;
    }
}
