package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.profiles.ConformingShapes.ValueClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim {@link ConformingShapes} rests on, checked against the definitions the validator uses: no rule of our
 * profiles, or of the R4 types on the way to a free value, reads that value other than for its format.
 *
 * <p>For every free path, the element it ends at (found through the vetted profile's snapshot, then the types'
 * definitions) must have no binding, fixed value, pattern, bounds, length limit or regex, and must be of the type its
 * class checks; no element on the way may be fixed, patterned, bounded or sliced. Every invariant that could see the
 * value (all invariants of the profile and of the extension, those of each type on the path, and those of any R4 type
 * that reaches to the whole resource) is searched for the value's element name, its JSON name, its parent's names and
 * tree-walking functions; each one that names any of them must be listed in {@link #READS_ONLY_EXISTENCE} with the
 * reason it does not read the value. A profile change that adds such a rule fails here until the free path is
 * removed or the rule is reviewed. (Word search is a conservative screen, not a FHIRPath analysis: ConformingShapesTest
 * compares verdicts as the second line.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformingShapesDefinitionTest {

    /** Invariant key and element name, each with why the invariant's result cannot change with the free value. */
    private static final Map<String, String> READS_ONLY_EXISTENCE = Map.ofEntries(
            Map.entry("ele-1 id", "counts an element's id attribute among its children, never reads a value"),
            Map.entry("ele-1 children()", "counts an element's children: existence only"),
            Map.entry("ext-1 value", "an extension has a value or extensions: existence only"),
            Map.entry("ref-1 reference", "reads only whether the reference starts with '#'; a free reference never does"),
            Map.entry("ref-1 id", "reads the ids of contained resources; contained resources are never free"),
            Map.entry("dom-3 id", "reads the ids of contained resources; contained resources are never free"),
            Map.entry("dom-3 reference", "reads references that start with '#'; a free reference never does"),
            Map.entry("obs-6 value", "Observation.value[x] must be absent with a dataAbsentReason: existence only"),
            Map.entry("obs-7 value", "Observation.value[x] absent when a component repeats the code: existence only"),
            Map.entry("drt-1 value", "a Duration with a code has a value: existence only"),
            Map.entry("dom-4 versionId", "reads the meta of contained resources; contained resources are never free"),
            Map.entry("dom-4 lastUpdated", "reads the meta of contained resources; contained resources are never free"),
            Map.entry("cpl-3 reference", "CarePlan.activity has a reference or a detail: existence only"),
            Map.entry("dom-3 descendants()", "compares every reference with '#' + a contained id; a free reference never "
                    + "starts with '#'"),
            Map.entry("dom-4 meta", "reads the meta of contained resources; contained resources are never free"),
            Map.entry("dom-5 meta", "reads the meta of contained resources; contained resources are never free"),
            Map.entry("obs-3 low", "a reference range has a low, a high or a text: existence only"),
            Map.entry("obs-3 high", "a reference range has a low, a high or a text: existence only"),
            Map.entry("mad-1 dose", "an administration has a dose or a rate: existence only"),
            Map.entry("ext-1 extension", "an extension has a value or extensions: existence only"),
            Map.entry("ntx-ma-2 extension", "the injection carries a lot-number extension: existence only"),
            Map.entry("ntx-mr-1 expectedSupplyDuration", "an oral order states a supply duration: existence only"),
            Map.entry("ntx-lft-3 hasMember", "a panel has members: existence only"),
            Map.entry("ntx-lft-2 value", "a liver test result has a UCUM quantity value: existence of the value only"));

    private static final Map<ValueClass, Set<String>> TYPES = Map.of(
            ValueClass.ID, Set.of("id", "string", "http://hl7.org/fhirpath/System.String"),
            ValueClass.DATE_TIME, Set.of("dateTime"),
            ValueClass.INSTANT, Set.of("instant"),
            ValueClass.DECIMAL, Set.of("decimal"),
            ValueClass.TEXT, Set.of("string"),
            ValueClass.REFERENCE, Set.of("string"));

    private static final Pattern EXTENSION_STEP = Pattern.compile("extension\\((.+)\\)");

    private final FhirContext fhirContext = FhirContext.forR4();
    private final IValidationSupport definitions = ProfileValidator.supportChain(fhirContext);

    @Test
    void noRuleReadsAFreeValueOtherThanForItsFormat() {
        List<String> problems = new ArrayList<>();
        Set<String> allowancesUsed = new TreeSet<>();
        List<StructureDefinition> reachingTheWholeResource = typesReachingTheWholeResource();
        for (Map.Entry<String, ValueClass> free : ConformingShapes.FREE.entrySet()) {
            String[] steps = free.getKey().split("\\.(?![^(]*\\))");
            StructureDefinition profile = snapshot(ConformingShapes.VETTED_PROFILES.get(steps[0]));
            List<StructureDefinition> seen = new ArrayList<>(List.of(profile));
            StructureDefinition definition = profile;
            String at = steps[0];
            ElementDefinition element = null;
            String leafName = null;
            List<PathElement> onPath = new ArrayList<>();
            for (int i = 1; i < steps.length; i++) {
                Matcher extension = EXTENSION_STEP.matcher(steps[i]);
                if (extension.matches()) {
                    definition = snapshot(extension.group(1));
                    seen.add(definition);
                    at = "Extension";
                    element = definition.getSnapshot().getElementFirstRep();
                    continue;
                }
                ElementDefinition found = find(definition, at, steps[i]);
                if (found == null) {
                    // Not constrained here: continue in the definition of the current element's type.
                    definition = snapshot(typeDefinition(element, steps[i - 1]));
                    seen.add(definition);
                    at = definition.getType();
                    found = find(definition, at, steps[i]);
                }
                assertThat(found).as(free.getKey() + ": no element for " + steps[i]).isNotNull();
                element = found;
                at = found.getPath();
                leafName = found.getPath().substring(found.getPath().lastIndexOf('.') + 1).replace("[x]", "");
                onPath.add(new PathElement(definition, found));
            }
            checkLeaf(free.getKey(), free.getValue(), element, problems);
            onPath.forEach(step -> checkOnPath(free.getKey(), step, problems));
            // An invariant could read the value by its element name, by its JSON name (effectiveDateTime), through
            // its parent (low <= high, valueQuantity > 0 'U/L'), or by walking the tree.
            Set<String> names = new TreeSet<>(List.of(leafName, steps[steps.length - 1], "descendants()",
                    "repeat(", "children()", "resolve()"));
            if (steps.length > 2) {
                names.add(steps[steps.length - 2].replaceAll("\\(.*\\)$", ""));
                names.add(onPath.size() > 1 ? elementName(onPath.get(onPath.size() - 2).element()) : leafName);
            }
            for (String name : names) {
                for (StructureDefinition reading : seen) {
                    checkInvariants(free.getKey(), name, reading, allowancesUsed, problems);
                }
                for (StructureDefinition type : reachingTheWholeResource) {
                    checkInvariants(free.getKey(), name, type, allowancesUsed, problems);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(allowancesUsed).as("allowances that no longer apply should go").containsExactlyInAnyOrderElementsOf(
                READS_ONLY_EXISTENCE.keySet());
    }

    /** An element on the way to a free value, with the definition it was found in. */
    private record PathElement(StructureDefinition definition, ElementDefinition element) {
    }

    private static String elementName(ElementDefinition element) {
        return element.getPath().substring(element.getPath().lastIndexOf('.') + 1).replace("[x]", "");
    }

    /**
     * No element on the way may fix, bound or slice what lies under it: a fixed or pattern Quantity, a minimum or
     * maximum Quantity, a maximum number of decimals, or slices whose own constraints the walk would not see.
     */
    private static void checkOnPath(String path, PathElement step, List<String> problems) {
        ElementDefinition element = step.element();
        List<String> found = new ArrayList<>();
        if (element.hasFixed() || element.hasPattern()) {
            found.add("fixed value or pattern");
        }
        if (element.hasMinValue() || element.hasMaxValue()) {
            found.add("minimum or maximum");
        }
        if (element.hasExtension("http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces")) {
            found.add("maximum decimal places");
        }
        boolean sliced = element.hasSlicing() || step.definition().getSnapshot().getElement().stream()
                .anyMatch(e -> e.getPath().equals(element.getPath()) && e.hasSliceName());
        if (sliced) {
            found.add("slices");
        }
        found.forEach(f -> problems.add(path + " (on the way, " + element.getPath() + "): " + f));
    }

    private static void checkLeaf(String path, ValueClass valueClass, ElementDefinition leaf, List<String> problems) {
        List<String> found = new ArrayList<>();
        if (leaf.hasBinding()) {
            found.add("binding");
        }
        if (leaf.hasFixed() || leaf.hasPattern()) {
            found.add("fixed value or pattern");
        }
        if (leaf.hasMinValue() || leaf.hasMaxValue() || leaf.hasMaxLength()) {
            found.add("bounds or length");
        }
        if (leaf.hasExtension("http://hl7.org/fhir/StructureDefinition/regex")
                || leaf.getType().stream().anyMatch(t -> t.hasExtension("http://hl7.org/fhir/StructureDefinition/regex"))
                || leaf.hasExtension("http://hl7.org/fhir/StructureDefinition/minLength")) {
            found.add("regex or minimum length");
        }
        Set<String> types = new TreeSet<>();
        leaf.getType().forEach(t -> types.add(t.getCode()));
        String choiceType = path.substring(path.lastIndexOf('.') + 1);
        boolean typeMatches = types.stream().anyMatch(t -> TYPES.get(valueClass).contains(t)
                && (types.size() == 1 || choiceType.toLowerCase().endsWith(t.toLowerCase())));
        if (!typeMatches) {
            found.add("type " + types + " is not checked by " + valueClass);
        }
        found.forEach(f -> problems.add(path + " (" + leaf.getPath() + "): " + f));
    }

    private static void checkInvariants(String path, String leafName, StructureDefinition definition,
                                        Set<String> allowancesUsed, List<String> problems) {
        Pattern word = leafName.matches("\\w+")
                ? Pattern.compile("(?<![A-Za-z0-9_%])" + Pattern.quote(leafName) + "(?![A-Za-z0-9_])")
                : Pattern.compile(Pattern.quote(leafName));
        for (ElementDefinition element : definition.getSnapshot().getElement()) {
            for (ElementDefinition.ElementDefinitionConstraintComponent constraint : element.getConstraint()) {
                if (constraint.getExpression() == null || !word.matcher(constraint.getExpression()).find()) {
                    continue;
                }
                String key = constraint.getKey() + " " + leafName;
                if (READS_ONLY_EXISTENCE.containsKey(key)) {
                    allowancesUsed.add(key);
                } else {
                    problems.add(path + ": invariant " + constraint.getKey() + " of " + definition.getUrl() + " on "
                            + element.getPath() + " names '" + leafName + "': " + constraint.getExpression());
                }
            }
        }
    }

    /** The element for one step: by path, or the choice element it is a type of ("effectiveDateTime"). */
    private static ElementDefinition find(StructureDefinition definition, String at, String step) {
        for (ElementDefinition element : definition.getSnapshot().getElement()) {
            if (element.hasSliceName()) {
                continue;
            }
            String path = element.getPath();
            if (path.equals(at + "." + step)) {
                return element;
            }
            if (path.endsWith("[x]") && path.startsWith(at + ".")) {
                String choice = path.substring(at.length() + 1, path.length() - 3);
                if (step.startsWith(choice) && !choice.contains(".") && element.getType().stream()
                        .anyMatch(t -> step.equals(choice + Character.toUpperCase(t.getCode().charAt(0))
                                + t.getCode().substring(1)))) {
                    return element;
                }
            }
        }
        return null;
    }

    /** The definition of the element's type as this step uses it: a declared type profile, else the R4 type. */
    private static String typeDefinition(ElementDefinition element, String step) {
        for (ElementDefinition.TypeRefComponent type : element.getType()) {
            String code = type.getCode();
            if (element.getType().size() == 1 || step.toLowerCase().endsWith(code.toLowerCase())) {
                return type.hasProfile() ? type.getProfile().get(0).getValue()
                        : "http://hl7.org/fhir/StructureDefinition/" + code;
            }
        }
        throw new IllegalStateException("No type of " + element.getPath() + " for " + step);
    }

    /** R4 types with an invariant that reads the whole resource (%resource, %rootResource). */
    private List<StructureDefinition> typesReachingTheWholeResource() {
        List<StructureDefinition> reaching = new ArrayList<>();
        for (Object resource : definitions.fetchAllStructureDefinitions()) {
            StructureDefinition definition = (StructureDefinition) resource;
            if (definition.getKind() == StructureDefinition.StructureDefinitionKind.COMPLEXTYPE
                    && definition.getSnapshot().getElement().stream().flatMap(e -> e.getConstraint().stream())
                    .anyMatch(c -> c.getExpression() != null && c.getExpression().contains("%rootResource")
                            || c.getExpression() != null && c.getExpression().contains("%resource"))) {
                reaching.add(definition);
            }
        }
        assertThat(reaching).as("Reference (ref-1) at least").isNotEmpty();
        return reaching;
    }

    private StructureDefinition snapshot(String url) {
        StructureDefinition definition = (StructureDefinition) definitions.fetchStructureDefinition(url);
        assertThat(definition).as(url).isNotNull();
        if (!definition.hasSnapshot()) {
            // Our package ships differentials; the validator generates the snapshot the same way.
            definition = (StructureDefinition) definitions.generateSnapshot(new ValidationSupportContext(definitions),
                    definition.copy(), url, null, null);
        }
        assertThat(definition.getSnapshot().getElement()).as(url + " has a snapshot").isNotEmpty();
        return definition;
    }
}
