package org.ntx.terminology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.timeline.Code;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The value set expansions shipped in our FHIR package (classpath {@code fhir-profiles/}), indexed by canonical URL.
 * Read once at start-up; classification then never touches a terminology server, so it works offline and fast.
 */
public final class ValueSetIndex {

    private final Map<String, CodeSet> byUrl;
    private final Map<Code, String> displays;

    private ValueSetIndex(Map<String, CodeSet> byUrl, Map<Code, String> displays) {
        this.byUrl = Map.copyOf(byUrl);
        this.displays = Map.copyOf(displays);
    }

    /** Every ValueSet JSON file under {@code classpath:fhir-profiles/}. */
    public static ValueSetIndex fromClasspath() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:fhir-profiles/*.json");
            ObjectMapper json = new ObjectMapper();
            Map<String, CodeSet> byUrl = new HashMap<>();
            Map<Code, String> displays = new HashMap<>();
            for (Resource file : files) {
                try (InputStream in = file.getInputStream()) {
                    JsonNode root = json.readTree(in);
                    if ("ValueSet".equals(root.path("resourceType").asText()) && root.hasNonNull("url")) {
                        String url = root.get("url").asText();
                        byUrl.put(url, new CodeSet(url, expansion(root)));
                        collectDisplays(root.path("expansion").path("contains"), displays);
                    }
                }
            }
            return new ValueSetIndex(byUrl, displays);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the FHIR package's value sets", e);
        }
    }

    /** The shipped expansion, or the enumerated compose when no expansion is shipped. */
    private static Set<Code> expansion(JsonNode valueSet) {
        Set<Code> codes = new HashSet<>();
        for (JsonNode contains : valueSet.path("expansion").path("contains")) {
            addContains(contains, codes);
        }
        if (codes.isEmpty()) {
            for (JsonNode include : valueSet.path("compose").path("include")) {
                String system = include.path("system").asText();
                for (JsonNode concept : include.path("concept")) {
                    codes.add(new Code(system, concept.path("code").asText()));
                }
            }
        }
        return codes;
    }

    private static void addContains(JsonNode contains, Set<Code> codes) {
        if (contains.hasNonNull("system") && contains.hasNonNull("code")) {
            codes.add(new Code(contains.get("system").asText(), contains.get("code").asText()));
        }
        for (JsonNode nested : contains.path("contains")) {
            addContains(nested, codes);
        }
    }

    private static void collectDisplays(JsonNode contains, Map<Code, String> displays) {
        for (JsonNode entry : contains) {
            if (entry.hasNonNull("system") && entry.hasNonNull("code") && entry.hasNonNull("display")) {
                displays.putIfAbsent(new Code(entry.get("system").asText(), entry.get("code").asText()),
                        entry.get("display").asText());
            }
            collectDisplays(entry.path("contains"), displays);
        }
    }

    /** The display the shipped expansions give this code (RxNorm names carry dose form and duration). */
    public java.util.Optional<String> display(Code code) {
        return java.util.Optional.ofNullable(displays.get(code));
    }

    /** The value set with this canonical URL; fails loudly if the package does not ship it. */
    public CodeSet get(String url) {
        CodeSet set = byUrl.get(url);
        if (set == null) {
            throw new IllegalStateException("The FHIR package ships no value set " + url);
        }
        return set;
    }
}
