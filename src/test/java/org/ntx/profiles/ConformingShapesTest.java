package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.profiles.ConformingShapes.ValueClass;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shortcut for known shapes must give the HL7 validator's verdict on every input. Each valid example of the
 * package is sent through {@link ProfileEnforcement} with remembered shapes, then variants of it with its free values
 * replaced: by tricky values around each type's format rules (leap days, missing time zones, exponents, blanks,
 * markup, over-long ids, other reference targets, ...) and by random ordinary values. For every variant, the
 * enforcement's decision (stored or refused) is compared with the validator run on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformingShapesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Map<ValueClass, List<JsonNode>> TRICKY = Map.of(
            ValueClass.DATE_TIME, texts("2026-01-31", "2024-02-29", "2026-11-23T10:15:30Z",
                    "2026-11-23T10:15:30.123+05:30", "2026-11-23T10:15:30.123456789-14:00", "1900-01-01",
                    "2100-12-31T23:59:59Z", "2023-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-11-23T24:00:00Z",
                    "2026-11-23T10:15:60Z", "2026-11-23T10:15:30", "2026-11-23T10:15Z", "2026", "2026-11", "0000-01-01",
                    "1899-12-31", "2026-11-23T10:15:30+14:30", "2026-11-23T10:15:30+15:00", " 2026-11-23", "2026-11-23 ",
                    "2026-11-23T10:15:30.Z", "", "20261123", "2026-11-23T10:15:30z", "+2026-11-23",
                    "2026-11-23T10:15:30.1234567890Z", "2026-11-23T10:15:30-00:00", "9999-12-31"),
            ValueClass.INSTANT, texts("2026-11-23T10:15:30Z", "2026-11-23T10:15:30.123+01:00", "2026-11-23",
                    "2026-11-23T10:15:30", "2026-02-30T10:15:30Z", "2026-11-23T10:15:30+14:00", "2026-11-23T10:15:30+14:01",
                    "1899-12-31T23:59:59Z", "2026-11-23T10:15:30.000000000Z", ""),
            ValueClass.DECIMAL, List.of(number("380"), number("0"), number("-1"), number("0.5"), number("1E+3"),
                    number("1.0E-2"), number("123456789012"), number("1234567890123"), number("0.000000000001"),
                    number("0.0000000000001"), number("-0"), number("1.50"), text("380"), text("")),
            ValueClass.ID, texts("a", "A-1.b", "x".repeat(64), "x".repeat(65), "a_b", "a b", "", "ä", "-", "."),
            ValueClass.TEXT, texts("LOT-1", "A1b2", "", " ", " LOT", "LOT ", "LOT  1", "<b>LOT</b>", "LOT\u202E1",
                    "LOT\u00011", "x".repeat(1000), "x".repeat(1001), "ñandú 1", "LOT\n1", "LOT\t1", "\u00a0LOT", "L\u200bOT"),
            ValueClass.REFERENCE, texts("Patient/1", "Patient/abc-1.2", "Patient/", "Patient/a b", "patient/1",
                    "Practitioner/1", "#p1", "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
                    "urn:uuid:123E4567-E89B-12D3-A456-426614174000", "urn:uuid:not-a-uuid", "Patient/1/_history/2",
                    "http://other.example.org/fhir/Patient/1", "Patient/" + "x".repeat(65), "Foo/1", "Group/1",
                    "Device/1", "PractitionerRole/1", "Organization/1", "Observation/1", "Condition/1"));

    private final FhirContext fhirContext = FhirContext.forR4();
    private final ProfileValidator validator = ProfileValidator.build(fhirContext);
    private final Random random = new Random(20261123);

    @Test
    void everyValidExampleHasAShapeAndPassesOnItTheSecondTime() throws IOException {
        ProfileEnforcement enforcement = new ProfileEnforcement(validator, fhirContext, true);
        for (Path example : examples()) {
            Resource resource = parse(Files.readString(example));
            enforcement.onCreate(resource, null);
            long before = enforcement.passedOnKnownShape();
            enforcement.onCreate(parse(Files.readString(example)), null);
            assertThat(enforcement.passedOnKnownShape()).as(example.getFileName().toString()).isEqualTo(before + 1);
        }
    }

    @Test
    void theShortcutAgreesWithTheValidatorOnEveryVariantOfEveryExample() throws IOException {
        ProfileEnforcement enforcement = new ProfileEnforcement(validator, fhirContext, true);
        int variants = 0;
        int refusedByTheValidator = 0;
        List<String> disagreements = new ArrayList<>();
        for (Path example : examples()) {
            JsonNode seed = JSON.readTree(fhirContext.newJsonParser().encodeResourceToString(
                    parse(Files.readString(example))));
            List<FreeLeaf> leaves = freeLeaves(seed);
            assertThat(leaves).as(example + " has free values").isNotEmpty();
            List<JsonNode> cases = new ArrayList<>();
            cases.add(seed);
            for (FreeLeaf leaf : leaves) {
                for (JsonNode value : TRICKY.get(leaf.valueClass())) {
                    cases.add(with(seed, root -> leaf.set(root, value)));
                }
            }
            for (JsonNode variant : cases) {
                String json = JSON.writeValueAsString(variant);
                if (!hapiReads(json)) {
                    continue; // refused with 400 before anything is validated
                }
                variants++;
                boolean validatorRefuses = validatorErrors(json);
                refusedByTheValidator += validatorRefuses ? 1 : 0;
                boolean enforcementRefuses = refuses(enforcement, json);
                if (validatorRefuses != enforcementRefuses) {
                    disagreements.add(example.getFileName() + ": " + json);
                }
            }
        }
        assertThat(disagreements).isEmpty();
        // The comparison means something only if both verdicts occurred and the shortcut was taken.
        assertThat(refusedByTheValidator).isGreaterThan(50);
        assertThat(variants - refusedByTheValidator).isGreaterThan(50);
        assertThat(enforcement.passedOnKnownShape()).isGreaterThan(50);
    }

    @Test
    void ordinaryValuesInTheFreePlacesAlwaysTakeTheShortcutAndTheValidatorAgrees() throws IOException {
        ProfileEnforcement enforcement = new ProfileEnforcement(validator, fhirContext, true);
        int perExample = 25;
        int variants = 0;
        for (Path example : examples()) {
            String seed = fhirContext.newJsonParser().encodeResourceToString(parse(Files.readString(example)));
            enforcement.onCreate(parse(seed), null);
            JsonNode tree = JSON.readTree(seed);
            List<FreeLeaf> leaves = freeLeaves(tree);
            for (int i = 0; i < perExample; i++) {
                JsonNode variant = with(tree, root -> leaves.forEach(leaf -> leaf.set(root, ordinary(leaf, root))));
                String json = JSON.writeValueAsString(variant);
                assertThat(validatorErrors(json)).as(json).isFalse();
                assertThat(refuses(enforcement, json)).as(json).isFalse();
                variants++;
            }
        }
        assertThat(enforcement.passedOnKnownShape()).isEqualTo(variants);
    }

    @Test
    void whatIsNotFreeIsPartOfTheShape() {
        String base = """
                {"resourceType":"Observation","id":"a","meta":{"profile":["p"]},"status":"final",
                 "code":{"coding":[{"system":"http://loinc.org","code":"1742-6"}]},
                 "subject":{"reference":"Patient/1"},"effectiveDateTime":"2026-11-01",
                 "valueQuantity":{"value":41,"system":"http://unitsofmeasure.org","code":"U/L"}}""";
        String shape = ConformingShapes.shapeOf(base);
        assertThat(shape).isNotNull();
        assertThat(ConformingShapes.shapeOf(base.replace("\"id\":\"a\"", "\"id\":\"b-2\"")
                .replace("Patient/1", "Patient/9").replace("2026-11-01", "2020-02-29T08:00:00+01:00")
                .replace("\"value\":41", "\"value\":4.15"))).isEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("1742-6", "1920-8"))).isNotEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("Patient/1", "Group/1"))).isNotEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("U/L", "mg"))).isNotEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("\"final\"", "\"preliminary\""))).isNotEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("\"p\"", "\"q\""))).isNotEqualTo(shape);
        assertThat(ConformingShapes.shapeOf(base.replace("2026-11-01", "2026-11-01T10:00:00"))).isNull();
        assertThat(ConformingShapes.shapeOf(base.replace("\"value\":41", "\"value\":4.1e1"))).isNull();
        assertThat(ConformingShapes.shapeOf("[1]")).isNull();
        assertThat(ConformingShapes.shapeOf("{\"resourceType\":")).isNull();
    }

    @Test
    void aResourceClaimingAnyOtherProfileAsWellHasNoShape() throws IOException {
        // R4's LDL cholesterol profile fixes referenceRange.high, a free value under our liver profile alone.
        Resource alt = parse(Files.readString(ProfileExamplesTest.PACKAGE.resolve("example/Observation-ntx-lft-alt.json")));
        assertThat(ConformingShapes.shapeOf(alt, fhirContext)).isNotNull();
        Resource alsoLdl = alt.copy();
        alsoLdl.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/ldlcholesterol");
        assertThat(ConformingShapes.shapeOf(alsoLdl, fhirContext)).isNull();
        Resource otherTypesProfile = alt.copy();
        otherTypesProfile.getMeta().getProfile().clear();
        otherTypesProfile.getMeta().addProfile(ConformingShapes.VETTED_PROFILES.get("MedicationRequest"));
        assertThat(ConformingShapes.shapeOf(otherTypesProfile, fhirContext)).isNull();
    }

    @Test
    void onlyTheLotNumberExtensionHasAFreeValue() {
        String lot = """
                {"resourceType":"MedicationAdministration","extension":[{"url":"%s","valueString":"%s"}]}""";
        String ours = Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-lot-number";
        String other = "http://example.org/other-extension";
        assertThat(ConformingShapes.shapeOf(lot.formatted(ours, "LOT-1")))
                .isEqualTo(ConformingShapes.shapeOf(lot.formatted(ours, "LOT-2")));
        assertThat(ConformingShapes.shapeOf(lot.formatted(other, "LOT-1")))
                .isNotEqualTo(ConformingShapes.shapeOf(lot.formatted(other, "LOT-2")));
    }

    /** A free value's location in a resource, found independently of ConformingShapes' own walk. */
    private record FreeLeaf(List<Object> steps, ValueClass valueClass) {
        void set(JsonNode root, JsonNode value) {
            JsonNode node = root;
            for (int i = 0; i < steps.size() - 1; i++) {
                node = steps.get(i) instanceof Integer index ? node.get(index) : node.get((String) steps.get(i));
            }
            Object last = steps.get(steps.size() - 1);
            if (last instanceof Integer index) {
                ((ArrayNode) node).set(index, value);
            } else {
                ((ObjectNode) node).set((String) last, value);
            }
        }
    }

    private static List<FreeLeaf> freeLeaves(JsonNode resource) {
        List<FreeLeaf> leaves = new ArrayList<>();
        collect(resource, resource.get("resourceType").asText(), new ArrayList<>(), leaves);
        return leaves;
    }

    private static void collect(JsonNode node, String path, List<Object> steps, List<FreeLeaf> leaves) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                steps.add(i);
                collect(node.get(i), path, steps, leaves);
                steps.remove(steps.size() - 1);
            }
        } else if (node.isObject()) {
            String own = path.endsWith(".extension") && node.has("url") ? path + "(" + node.get("url").asText() + ")"
                    : path;
            node.fieldNames().forEachRemaining(name -> {
                steps.add(name);
                collect(node.get(name), own + "." + name, steps, leaves);
                steps.remove(steps.size() - 1);
            });
        } else if (ConformingShapes.FREE.containsKey(path)) {
            leaves.add(new FreeLeaf(List.copyOf(steps), ConformingShapes.FREE.get(path)));
        }
    }

    /** An everyday value of the leaf's class; references keep the type they point to. */
    private JsonNode ordinary(FreeLeaf leaf, JsonNode root) {
        JsonNode current = root;
        for (Object step : leaf.steps()) {
            current = step instanceof Integer index ? current.get(index) : current.get((String) step);
        }
        return switch (leaf.valueClass()) {
            case ID -> text(randomId());
            case DATE_TIME -> text(random.nextBoolean() ? randomDate() : randomInstant());
            case INSTANT -> text(randomInstant());
            case DECIMAL -> new DecimalNode(BigDecimal.valueOf(random.nextInt(100_000), random.nextInt(4)));
            case TEXT -> text("LOT-" + random.nextInt(1_000_000) + (random.nextBoolean() ? " A" : ""));
            case REFERENCE -> text(current.asText().startsWith("urn:uuid:") ? "urn:uuid:" + java.util.UUID.randomUUID()
                    : current.asText().split("/")[0] + "/" + randomId());
        };
    }

    private String randomId() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";
        StringBuilder id = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(64); i < n; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private String randomDate() {
        return java.time.LocalDate.of(1900, 1, 1).plusDays(random.nextInt(73_000)).toString();
    }

    private String randomInstant() {
        String[] zones = {"Z", "+00:00", "-05:00", "+05:30", "+14:00", "-12:00"};
        String fraction = switch (random.nextInt(3)) {
            case 0 -> "";
            case 1 -> "." + random.nextInt(10);
            default -> String.format(".%03d", random.nextInt(1000));
        };
        return randomDate() + String.format("T%02d:%02d:%02d", random.nextInt(24), random.nextInt(60),
                random.nextInt(60)) + fraction + zones[random.nextInt(zones.length)];
    }

    private boolean validatorErrors(String json) {
        return validator.validate(parse(json)).getMessages().stream()
                .anyMatch(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL);
    }

    private boolean refuses(ProfileEnforcement enforcement, String json) {
        try {
            enforcement.onCreate(parse(json), null);
            return false;
        } catch (UnprocessableEntityException e) {
            return true;
        }
    }

    private boolean hapiReads(String json) {
        try {
            parse(json);
            return true;
        } catch (ca.uhn.fhir.parser.DataFormatException e) {
            return false;
        }
    }

    private Resource parse(String json) {
        return (Resource) fhirContext.newJsonParser().parseResource(json);
    }

    private static JsonNode with(JsonNode seed, Consumer<JsonNode> change) {
        JsonNode copy = seed.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static List<Path> examples() throws IOException {
        try (var files = Files.list(ProfileExamplesTest.PACKAGE.resolve("example"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<JsonNode> texts(String... values) {
        return java.util.Arrays.stream(values).map(ConformingShapesTest::text).toList();
    }

    private static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }

    private static JsonNode number(String literal) {
        return JsonNodeFactory.instance.numberNode(new BigDecimal(literal));
    }
}
