package org.ntx.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Our FHIR package as shipped in the jar: {@code fhir-profiles/package.json} (name, version, canonical) and the NPM
 * tarball {@code fhir-profiles.tgz} the build makes from {@code fhir-profiles/}.
 */
public record NaltrexonePackage(String name, String version, String canonical) {

    static final String TARBALL = "fhir-profiles.tgz";
    private static final String MANIFEST = "fhir-profiles/package.json";

    public static NaltrexonePackage fromClasspath() {
        try (InputStream in = resource(MANIFEST)) {
            JsonNode manifest = new ObjectMapper().readTree(in);
            return new NaltrexonePackage(manifest.path("name").asText(), manifest.path("version").asText(),
                    manifest.path("canonical").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + MANIFEST, e);
        }
    }

    /** The NPM tarball, as HAPI's package installer takes it. */
    public byte[] tarball() {
        try (InputStream in = resource(TARBALL)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + TARBALL, e);
        }
    }

    /**
     * Every value set the package ships, by canonical URL, with the codes its compose enumerates
     * ({@code system|code}): what an expansion must contain.
     */
    public Map<String, Set<String>> valueSetCodes() {
        try {
            Map<String, Set<String>> codes = new TreeMap<>();
            ObjectMapper json = new ObjectMapper();
            for (org.springframework.core.io.Resource file : new org.springframework.core.io.support
                    .PathMatchingResourcePatternResolver().getResources("classpath*:fhir-profiles/ValueSet-*.json")) {
                try (InputStream in = file.getInputStream()) {
                    JsonNode valueSet = json.readTree(in);
                    Set<String> enumerated = new LinkedHashSet<>();
                    for (JsonNode include : valueSet.path("compose").path("include")) {
                        for (JsonNode concept : include.path("concept")) {
                            enumerated.add(include.path("system").asText() + "|" + concept.path("code").asText());
                        }
                    }
                    codes.put(valueSet.path("url").asText(), enumerated);
                }
            }
            return codes;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the package's value sets", e);
        }
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = NaltrexonePackage.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException(path + " is not on the classpath (was fhir-profiles/ built into the jar?)");
        }
        return in;
    }
}
