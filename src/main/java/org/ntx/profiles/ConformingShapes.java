package org.ntx.profiles;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Remembers the shapes of resources the HL7 validator has passed without errors, so that a resource of a known shape
 * is not walked through the validator again.
 *
 * <p><b>What a shape is.</b> A resource's JSON (as HAPI encodes it for the validator), with every value kept verbatim
 * except the values at the paths listed in {@link #FREE}: ids, timestamps, reference targets, quantity values and
 * the lot number. Each of those is replaced by its class (e.g. "a dateTime"), and only when the value passes that
 * class's format check, which is never looser than the HL7 validator's own check for the type. Codes, systems,
 * profiles, extension URLs, the resource type of every reference, element names, order and counts stay in the shape.
 *
 * <p><b>Why a known shape needs no second validation.</b> Whether the validator reports an error depends on a free
 * value only through its format, because no binding, fixed value, pattern, bound or invariant of our profiles or of
 * the R4 types on those paths reads such a value (or only reads whether it exists, or whether a reference starts with
 * '#'). {@code ConformingShapesDefinitionTest} checks that claim against the profiles' snapshots, so a profile change
 * that breaks it fails the build; {@code ConformingShapesTest} holds the shortcut to the validator's verdict over
 * thousands of generated variants of valid resources. A value outside its class (an unusual date form, a decimal with
 * an exponent, a string with leading blanks, ...) means no shape: the resource goes through the validator.
 *
 * <p>Only resources that claim exactly our profile for their type have a shape: another profile's rules were not
 * checked. Only passes are remembered; a resource that fails is validated every time, so its 422 names the failing element.
 * Bounded ({@link #MAX_SHAPES}, least recently used first out) and thread-safe.
 */
final class ConformingShapes {

    /** Shapes kept; one resource kind from one sending system is usually a handful of shapes. */
    static final int MAX_SHAPES = 10_000;

    /**
     * The one profile per resource type whose rules the free paths were checked against. A resource that also claims
     * any other profile (which might fix or bound a free value) has no shape and is always validated.
     */
    static final Map<String, String> VETTED_PROFILES = Map.of(
            "MedicationRequest", Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-medicationrequest",
            "MedicationAdministration", Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-medicationadministration",
            "Observation", Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-liver-observation",
            "CarePlan", Canonicals.STRUCTURE_DEFINITION_BASE + "ntx-careplan");

    /**
     * The free paths: JSON member paths without array indices, with an extension's URL in brackets. Resource ids,
     * version ids and last-updated instants are free for every profiled type.
     */
    static final Map<String, ValueClass> FREE = freePaths();

    private static final JsonFactory JSON = new JsonFactory();

    private final Cache<String, Boolean> shapes = Caffeine.newBuilder().maximumSize(MAX_SHAPES).build();
    private final AtomicLong hits = new AtomicLong();

    private static Map<String, ValueClass> freePaths() {
        Map<String, ValueClass> free = new HashMap<>();
        for (String type : VETTED_PROFILES.keySet()) {
            free.put(type + ".id", ValueClass.ID);
            free.put(type + ".meta.versionId", ValueClass.ID);
            free.put(type + ".meta.lastUpdated", ValueClass.INSTANT);
            free.put(type + ".subject.reference", ValueClass.REFERENCE);
        }
        free.put("MedicationRequest.authoredOn", ValueClass.DATE_TIME);
        free.put("MedicationRequest.requester.reference", ValueClass.REFERENCE);
        free.put("MedicationRequest.encounter.reference", ValueClass.REFERENCE);
        free.put("MedicationRequest.dosageInstruction.doseAndRate.doseQuantity.value", ValueClass.DECIMAL);
        free.put("MedicationRequest.dispenseRequest.quantity.value", ValueClass.DECIMAL);
        free.put("MedicationRequest.dispenseRequest.expectedSupplyDuration.value", ValueClass.DECIMAL);

        free.put("MedicationAdministration.effectiveDateTime", ValueClass.DATE_TIME);
        free.put("MedicationAdministration.performer.actor.reference", ValueClass.REFERENCE);
        free.put("MedicationAdministration.request.reference", ValueClass.REFERENCE);
        free.put("MedicationAdministration.context.reference", ValueClass.REFERENCE);
        free.put("MedicationAdministration.dosage.dose.value", ValueClass.DECIMAL);
        free.put("MedicationAdministration.extension(" + Canonicals.STRUCTURE_DEFINITION_BASE
                + "ntx-lot-number).valueString", ValueClass.TEXT);

        free.put("Observation.effectiveDateTime", ValueClass.DATE_TIME);
        free.put("Observation.issued", ValueClass.INSTANT);
        free.put("Observation.encounter.reference", ValueClass.REFERENCE);
        free.put("Observation.performer.reference", ValueClass.REFERENCE);
        free.put("Observation.hasMember.reference", ValueClass.REFERENCE);
        free.put("Observation.valueQuantity.value", ValueClass.DECIMAL);
        free.put("Observation.referenceRange.low.value", ValueClass.DECIMAL);
        free.put("Observation.referenceRange.high.value", ValueClass.DECIMAL);

        // CarePlan.period is not free: its invariant per-1 compares start with end.
        free.put("CarePlan.created", ValueClass.DATE_TIME);
        free.put("CarePlan.author.reference", ValueClass.REFERENCE);
        free.put("CarePlan.addresses.reference", ValueClass.REFERENCE);
        return Map.copyOf(free);
    }

    /** True when a resource of this shape has passed validation before. */
    boolean isKnown(String shape) {
        boolean known = shapes.getIfPresent(shape) != null;
        if (known) {
            hits.incrementAndGet();
        }
        return known;
    }

    /** Records that a resource of this shape passed the validator without errors. */
    void remember(String shape) {
        shapes.put(shape, Boolean.TRUE);
    }

    /** How many resources were let through on a known shape (for tests and the benchmark's profile). */
    long hits() {
        return hits.get();
    }

    /**
     * The shape of a resource as the validator will read it (HAPI's JSON encoding); null unless the resource claims
     * exactly the vetted profile of its type and nothing else.
     */
    static String shapeOf(Resource resource, FhirContext fhirContext) {
        String vetted = VETTED_PROFILES.get(resource.fhirType());
        List<CanonicalType> claimed = resource.getMeta().getProfile();
        if (vetted == null || claimed.isEmpty() || !claimed.stream().allMatch(p -> vetted.equals(p.getValue()))) {
            return null;
        }
        return shapeOf(fhirContext.newJsonParser().encodeResourceToString(resource));
    }

    /**
     * The shape of a resource, as a digest of the resource with its free values replaced by their class; null when
     * some free value does not pass its class's check (or the JSON cannot be read), so the resource has no shape.
     */
    static String shapeOf(String resourceJson) {
        MessageDigest digest = sha256();
        Deque<String> paths = new ArrayDeque<>();
        String field = null;
        boolean resource = false;
        try (JsonParser parser = JSON.createParser(resourceJson)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case FIELD_NAME -> {
                        field = parser.currentName();
                        put(digest, 'f', field);
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (paths.isEmpty() && token == JsonToken.START_ARRAY) {
                            return null; // not a resource
                        }
                        paths.push(paths.isEmpty() ? "" : memberPath(paths.peek(), parser.getParsingContext()
                                .getParent().inArray(), field));
                        put(digest, token == JsonToken.START_OBJECT ? '{' : '[', "");
                    }
                    case END_OBJECT, END_ARRAY -> {
                        paths.pop();
                        put(digest, token == JsonToken.END_OBJECT ? '}' : ']', "");
                    }
                    default -> {
                        if (paths.isEmpty()) {
                            return null; // not a resource
                        }
                        String text = parser.getText();
                        String path = memberPath(paths.peek(), parser.getParsingContext().inArray(), field);
                        if (paths.size() == 1 && "resourceType".equals(field)) {
                            resource = true;
                            paths.pop();
                            paths.push(text);
                        } else if ("url".equals(field) && isExtension(paths.peek())) {
                            // The extension's own URL goes into the paths of its members.
                            paths.push(paths.pop() + "(" + text + ")");
                        }
                        ValueClass free = FREE.get(path);
                        if (free == null) {
                            put(digest, kind(token), text);
                        } else if (free.admits(token, text)) {
                            put(digest, 'c', free.token(text));
                        } else {
                            return null;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return resource ? HexFormat.of().formatHex(digest.digest()) : null;
    }

    /** The path of a member: the elements of an array share the array's path. */
    private static String memberPath(String container, boolean inArray, String field) {
        return inArray ? container : container + "." + field;
    }

    private static boolean isExtension(String path) {
        return path.endsWith(".extension") || path.endsWith(".modifierExtension");
    }

    private static char kind(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> 's';
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> 'n';
            case VALUE_TRUE, VALUE_FALSE -> 'b';
            default -> 'z';
        };
    }

    /** Kind, length and text: no two different inputs give the same sequence of bytes. */
    private static void put(MessageDigest digest, char kind, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) kind);
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * A class of free values. Each check admits only values the HL7 validator 6.7.9 accepts for the type
     * (InstanceValidator.checkPrimitive, FormatUtilities.isValidId): often fewer, never more.
     */
    enum ValueClass {
        /** Resource and version ids: the FHIR id type exactly. */
        ID(Pattern.compile("[A-Za-z0-9\\-.]{1,64}")),
        /** A calendar date, or a date and time to the second or finer with a time zone (core rule tz-for-time). */
        DATE_TIME(Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}))?")),
        /** An instant: a date and time with a time zone. */
        INSTANT(Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})")),
        /** A plain decimal, at most twelve digits either side of the point, no exponent. */
        DECIMAL(Pattern.compile("-?(0|[1-9]\\d{0,11})(\\.\\d{1,12})?")),
        /** Short printable text: letters, digits, common punctuation, single inner spaces, no markup. */
        TEXT(Pattern.compile("[\\p{L}\\p{N}\\-_.,:;/#()+'%]+( [\\p{L}\\p{N}\\-_.,:;/#()+'%]+){0,100}")),
        /** "Type/id" (the type stays in the shape) or a urn:uuid in canonical lower case. */
        REFERENCE(Pattern.compile("([A-Z][A-Za-z]{1,63})/[A-Za-z0-9\\-.]{1,64}"
                + "|urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));

        /** Same as the validator's dateTime pattern: years 0001-9999, months 01-12, days 01-31, hours 00-23. */
        private static final Pattern VALIDATOR_DATE_TIME = Pattern.compile("([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)"
                + "|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]"
                + "|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?");
        private static final int MAX_TEXT = 1000;

        private final Pattern form;

        ValueClass(Pattern form) {
            this.form = form;
        }

        boolean admits(JsonToken token, String text) {
            boolean number = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
            if ((this == DECIMAL) != number || (!number && token != JsonToken.VALUE_STRING)
                    || !form.matcher(text).matches()) {
                return false;
            }
            return switch (this) {
                case DATE_TIME, INSTANT -> isRealMoment(text);
                case TEXT -> text.length() <= MAX_TEXT;
                default -> true;
            };
        }

        /** What stands for the value in the shape: the class, and for a reference also the type it points to. */
        String token(String text) {
            if (this == REFERENCE) {
                return text.startsWith("urn:uuid:") ? "REFERENCE urn:uuid" : "REFERENCE " + text.split("/")[0];
            }
            return name();
        }

        /** A date that exists on the calendar, in the validator's pattern, in years 1900-2100. */
        private static boolean isRealMoment(String text) {
            if (!VALIDATOR_DATE_TIME.matcher(text).matches()) {
                return false;
            }
            try {
                int year = text.length() == 10 ? LocalDate.parse(text).getYear()
                        : OffsetDateTime.parse(text).getYear();
                return year >= 1900 && year <= 2100;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }
}
