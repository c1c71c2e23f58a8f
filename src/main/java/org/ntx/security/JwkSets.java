package org.ntx.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Locale;
import java.util.Set;

/** Where signing keys come from: a JWK Set URL (fetched, cached and refreshed by Nimbus) or a local file. */
final class JwkSets {

    /**
     * The signature algorithms we accept: RSA, RSA-PSS and ECDSA. Never {@code none} and never HMAC (a shared secret
     * cannot prove which party signed). EdDSA would need Google Tink on the class path and is not offered.
     */
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final int SIZE_LIMIT_BYTES = 256 * 1024;

    private JwkSets() {}

    static boolean isUrl(String location) {
        String lower = location.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /**
     * Opens a key source. URLs are fetched on first use and cached; a file path (or {@code file:} / {@code classpath:}
     * location) is read once now, so a missing or broken file stops the start-up instead of every request.
     */
    static JWKSource<SecurityContext> open(String location, ResourceLoader resources) {
        if (isUrl(location)) {
            return remote(toUrl(location.trim()));
        }
        String spec = location.contains(":") ? location.trim() : "file:" + location.trim();
        Resource resource = resources.getResource(spec);
        try (InputStream in = resource.getInputStream()) {
            // Only the public halves are kept, whatever the file holds.
            return new ImmutableJWKSet<>(JWKSet.load(in).toPublicJWKSet());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWK Set at " + location, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("The file at " + location + " is not a JWK Set", e);
        }
    }

    static JWKSource<SecurityContext> remote(URL url) {
        return JWKSourceBuilder.create(url,
                        new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, SIZE_LIMIT_BYTES))
                .build();
    }

    static URL toUrl(String url) {
        try {
            return URI.create(url).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid JWK Set URL: " + url, e);
        }
    }
}
