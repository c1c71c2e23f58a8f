package org.ntx.terminology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ntx.timeline.Code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * NDC to RxNorm, from the ConceptMap our FHIR package ships ({@code fhir-profiles/ConceptMap-ndc-to-rxnorm.json}, every
 * row citing its public source). An NDC is looked up in every 11-digit form it may stand for ({@link Ndc}); an NDC that
 * names only the labeler and product matches when all that product's packages map to one concept.
 */
public final class NdcMap {

    static final String RESOURCE = "fhir-profiles/ConceptMap-ndc-to-rxnorm.json";

    private final Map<String, Code> byPackage;
    private final Map<String, Set<Code>> byProduct;

    NdcMap(Map<String, Code> byPackage) {
        this.byPackage = Map.copyOf(byPackage);
        Map<String, Set<Code>> products = new HashMap<>();
        byPackage.forEach((ndc, rxnorm) -> products.computeIfAbsent(ndc.substring(0, 9), k -> new HashSet<>())
                .add(rxnorm));
        this.byProduct = Map.copyOf(products);
    }

    static NdcMap fromClasspath() {
        try (InputStream in = NdcMap.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Code> byPackage = new HashMap<>();
            for (JsonNode group : root.path("group")) {
                for (JsonNode element : group.path("element")) {
                    JsonNode target = element.path("target").path(0);
                    if (element.hasNonNull("code") && target.hasNonNull("code")) {
                        byPackage.put(element.get("code").asText(), Code.rxnorm(target.get("code").asText()));
                    }
                }
            }
            return new NdcMap(byPackage);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the NDC to RxNorm ConceptMap", e);
        }
    }

    /** The RxNorm concept of this NDC, in any of its written forms; empty when it is not in the map or ambiguous. */
    public Optional<Code> rxnorm(String ndc) {
        Set<Code> found = new LinkedHashSet<>();
        Ndc.elevenDigitCandidates(ndc).stream().map(byPackage::get).filter(c -> c != null).forEach(found::add);
        if (found.isEmpty()) {
            Ndc.productCandidates(ndc).stream().map(byProduct::get).filter(c -> c != null && c.size() == 1)
                    .forEach(found::addAll);
        }
        return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
    }

    public int size() {
        return byPackage.size();
    }
}
