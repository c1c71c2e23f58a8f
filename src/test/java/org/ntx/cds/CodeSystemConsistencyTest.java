package org.ntx.cds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ntx.profiles.Canonicals;
import org.ntx.profiles.NaltrexonePackage;
import org.ntx.rules.OverrideReason;
import org.ntx.rules.Topic;
import org.ntx.terminology.ValueSets;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The codes and URLs the Java code sends on the wire exist in the FHIR package, so cards never cite a phantom code. */
class CodeSystemConsistencyTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void everyCardTopicIsACodeOfTheProjectCodeSystem() throws IOException {
        Set<String> codes = codeSystemCodes();
        for (Topic topic : Topic.values()) {
            assertThat(codes).as("topic").contains(topic.code());
        }
    }

    @Test
    void everyOverrideReasonIsACodeOfTheProjectCodeSystem() throws IOException {
        Set<String> codes = codeSystemCodes();
        for (OverrideReason reason : OverrideReason.values()) {
            assertThat(codes).as("override reason").contains(reason.code());
        }
    }

    @Test
    void canonicalUrlsMatchThePackageManifest() throws IOException {
        assertThat(NaltrexonePackage.fromClasspath().canonical()).isEqualTo(Canonicals.BASE);
        JsonNode codeSystem = json.readTree(Path.of("fhir-profiles/CodeSystem-ntx.json").toFile());
        assertThat(codeSystem.get("url").asText()).isEqualTo(Canonicals.CODE_SYSTEM);
    }

    @Test
    void everyValueSetTheClassifiersReadIsShipped() throws Exception {
        Set<String> shipped = new HashSet<>();
        try (Stream<Path> files = Files.list(Path.of("fhir-profiles"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ValueSet-")).toList()) {
                shipped.add(json.readTree(file.toFile()).get("url").asText());
            }
        }
        for (Field field : ValueSets.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                assertThat(shipped).contains((String) field.get(null));
            }
        }
    }

    private Set<String> codeSystemCodes() throws IOException {
        Set<String> codes = new HashSet<>();
        collect(json.readTree(Path.of("fhir-profiles/CodeSystem-ntx.json").toFile()).get("concept"), codes);
        return codes;
    }

    private static void collect(JsonNode concepts, Set<String> codes) {
        if (concepts == null) {
            return;
        }
        for (JsonNode concept : concepts) {
            codes.add(concept.get("code").asText());
            collect(concept.get("concept"), codes);
        }
    }
}
