package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.RecordPart;
import org.ntx.server.LimitProperties;
import org.ntx.source.AccessToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a CDS Hooks request body. Strict about what the protocol requires (hook, hookInstance, context.patientId),
 * lenient about FHIR content, because real clients send draft Bundles without {@code type} or a {@code category}
 * object where R4 has an array: HAPI's lenient error handler keeps what it can parse and drops the rest.
 */
@Component
class CdsRequestParser {

    /** The card log stores it in 128 characters; a UUID has 36. */
    static final int MAX_HOOK_INSTANCE_LENGTH = 128;

    /** {@code context.userId} ("Practitioner/123") and {@code context.encounterId}, as the card log stores them. */
    static final int MAX_USER_ID_LENGTH = 256;
    static final int MAX_ENCOUNTER_ID_LENGTH = 128;

    /**
     * The request extension of the PDDI CDS IG. Its coordination examples send {@code pddi-configuration-items};
     * its prose calls the field {@code configuration-items}: both are read, the first when both are present.
     */
    static final List<String> PDDI_EXTENSION_KEYS = List.of("pddi-configuration-items", "configuration-items");
    static final String CACHE_FOR_ORDER_SIGN_FILTERING = "cache-for-order-sign-filtering";
    static final String FILTER_OUT_REPEATED_ALERTS = "filter-out-repeated-alerts";

    /** Draft orders one request may carry when no limit is configured ({@code ntx.limits.max-draft-orders}). */
    static final int DEFAULT_MAX_DRAFT_ORDERS = 100;

    private final FhirContext fhirContext;
    private final int maxDraftOrders;
    /**
     * Reads the body once; HAPI then builds resources from this tree directly (no second serialise and parse).
     * Decimals are kept exactly as sent (HAPI's own JSON reading does the same): "45.10" stays 45.10.
     */
    private final ObjectMapper json = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    CdsRequestParser(FhirContext fhirContext) {
        this(fhirContext, DEFAULT_MAX_DRAFT_ORDERS);
    }

    @Autowired
    CdsRequestParser(FhirContext fhirContext, LimitProperties limits) {
        this(fhirContext, limits.maxDraftOrders());
    }

    private CdsRequestParser(FhirContext fhirContext, int maxDraftOrders) {
        this.fhirContext = fhirContext;
        this.maxDraftOrders = maxDraftOrders;
    }

    CdsRequest parse(String body, CdsHook expectedHook) {
        JsonNode root = readJson(body);
        String hook = requiredText(root, "hook");
        if (!hook.equals(expectedHook.wireName())) {
            throw CdsRequestException.badRequest(
                    "This service answers the '" + expectedHook.wireName() + "' hook, not '" + hook + "'");
        }
        String hookInstance = requiredText(root, "hookInstance");
        if (hookInstance.length() > MAX_HOOK_INSTANCE_LENGTH) {
            throw CdsRequestException.badRequest("'hookInstance' is longer than " + MAX_HOOK_INSTANCE_LENGTH
                    + " characters (CDS Hooks asks for a UUID)");
        }
        JsonNode context = root.get("context");
        if (context == null || !context.isObject()) {
            throw CdsRequestException.badRequest("'context' is required and must be an object");
        }
        String patientId = requiredText(context, "patientId");
        if (!patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw CdsRequestException.badRequest("'context.patientId' is not a valid FHIR id");
        }

        Optional<String> fhirServer = optionalText(root, "fhirServer").map(CdsRequestParser::checkServerUrl);
        Optional<AccessToken> token = Optional.ofNullable(root.get("fhirAuthorization"))
                .filter(JsonNode::isObject)
                .flatMap(auth -> optionalText(auth, "access_token"))
                .map(CdsRequestParser::checkToken)
                .map(AccessToken::new);

        Optional<String> userId = optionalText(context, "userId");
        if (userId.filter(id -> id.length() > MAX_USER_ID_LENGTH).isPresent()) {
            throw CdsRequestException.badRequest("'context.userId' is longer than " + MAX_USER_ID_LENGTH
                    + " characters");
        }
        Optional<String> encounterId = optionalText(context, "encounterId");
        if (encounterId.filter(id -> id.length() > MAX_ENCOUNTER_ID_LENGTH).isPresent()) {
            throw CdsRequestException.badRequest("'context.encounterId' is longer than " + MAX_ENCOUNTER_ID_LENGTH
                    + " characters");
        }

        List<Resource> drafts = expectedHook.carriesDraftOrders()
                ? draftOrders(context.get("draftOrders"))
                : List.of();
        Set<String> draftIds = new HashSet<>();
        List<Resource> named = nameDrafts(drafts, draftIds);
        Map<RecordPart, String> prefetchNext = new EnumMap<>(RecordPart.class);
        return new CdsRequest(CdsHook.fromWireName(hook).orElseThrow(), hookInstance, patientId,
                userId, fhirServer, token, named, prefetch(root.get("prefetch"), prefetchNext), encounterId, draftIds,
                pddi(root.get("extension")), prefetchNext);
    }

    /**
     * Every draft MedicationRequest gets an id, so cards can name it and order-sign can recognise it; the ids the
     * client gave are collected in {@code clientIds}. A draft without one is named {@code unnamed-draft-N} (N its
     * position, skipping names the client used), a name that never counts as the client's.
     */
    private static List<Resource> nameDrafts(List<Resource> drafts, Set<String> clientIds) {
        for (Resource draft : drafts) {
            if (draft instanceof MedicationRequest && draft.getIdElement().getIdPart() != null) {
                clientIds.add(draft.getIdElement().getIdPart());
            }
        }
        List<Resource> named = new ArrayList<>();
        int next = 0;
        for (Resource draft : drafts) {
            if (draft instanceof MedicationRequest && draft.getIdElement().getIdPart() == null) {
                String id;
                do {
                    id = "unnamed-draft-" + next++;
                } while (clientIds.contains(id));
                Resource copy = draft.copy();
                copy.setId(id);
                named.add(copy);
            } else {
                named.add(draft);
            }
        }
        return named;
    }

    /** The PDDI configuration items; anything but true or false for the two coordination options is refused. */
    private static CdsRequest.PddiConfiguration pddi(JsonNode extension) {
        if (extension == null || !extension.isObject()) {
            return CdsRequest.PddiConfiguration.NONE;
        }
        JsonNode items = null;
        for (String key : PDDI_EXTENSION_KEYS) {
            if (extension.has(key)) {
                items = extension.get(key);
                break;
            }
        }
        if (items == null || items.isNull()) {
            return CdsRequest.PddiConfiguration.NONE;
        }
        if (!items.isObject()) {
            throw CdsRequestException.badRequest("'extension.pddi-configuration-items' must be an object of options");
        }
        return new CdsRequest.PddiConfiguration(flag(items, CACHE_FOR_ORDER_SIGN_FILTERING),
                flag(items, FILTER_OUT_REPEATED_ALERTS));
    }

    private static Optional<Boolean> flag(JsonNode items, String name) {
        JsonNode value = items.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw CdsRequestException.badRequest("PDDI configuration item '" + name + "' must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /**
     * A bearer token goes into an HTTP header: visible ASCII only (RFC 6750's token characters are a subset). Anything
     * else (a space, a line break, "…") could not be sent, and is the client's mistake, not a failure of ours.
     */
    private static String checkToken(String token) {
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw CdsRequestException.badRequest("'fhirAuthorization.access_token' must be a bearer token: visible"
                    + " ASCII characters only");
        }
        return token;
    }

    private JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            throw CdsRequestException.badRequest("The request body is empty");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw CdsRequestException.badRequest("The request body must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw CdsRequestException.badRequest("The request body is not valid JSON");
        }
    }

    /**
     * The usable prefetch entries; for a searchset that carries a {@code next} link (only its first page came), the
     * link goes into {@code next}, so that the rest is read rather than the first page taken for the whole history.
     */
    private Map<RecordPart, List<Resource>> prefetch(JsonNode prefetch, Map<RecordPart, String> next) {
        Map<RecordPart, List<Resource>> result = new EnumMap<>(RecordPart.class);
        if (prefetch == null || !prefetch.isObject()) {
            return result;
        }
        for (RecordPart key : RecordPart.values()) {
            JsonNode value = prefetch.get(key.key());
            if (value == null || value.isNull() || !value.isObject()) {
                continue;
            }
            Optional<Resource> parsed = parseResource(value)
                    .filter(resource -> !(resource instanceof OperationOutcome));
            parsed.map(resource -> resource instanceof Bundle bundle ? entriesOf(bundle) : List.of(resource))
                    .ifPresent(resources -> result.put(key, resources));
            parsed.filter(Bundle.class::isInstance).map(Bundle.class::cast)
                    .map(bundle -> bundle.getLink(Bundle.LINK_NEXT))
                    .filter(link -> link.hasUrl())
                    .ifPresent(link -> next.put(key, link.getUrl()));
        }
        return result;
    }

    /**
     * The orders being signed. Absent is allowed (order-select before a choice); present but unreadable is refused,
     * because checking nothing and answering without a card would read as "no conflict".
     */
    private List<Resource> draftOrders(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw CdsRequestException.badRequest("'context.draftOrders' must be a FHIR Bundle");
        }
        // Counted before parsing: each draft is checked against the whole record.
        if (node.path("entry").size() > maxDraftOrders) {
            throw CdsRequestException.badRequest("'context.draftOrders' may hold at most " + maxDraftOrders
                    + " orders (ntx.limits.max-draft-orders)");
        }
        return parseResource(node)
                .map(resource -> resource instanceof Bundle bundle ? entriesOf(bundle) : List.of(resource))
                .orElseThrow(() -> CdsRequestException.badRequest(
                        "'context.draftOrders' could not be read as a FHIR Bundle of orders"));
    }

    /** A FHIR resource from JSON, or empty if it is not one we can read at all. */
    private Optional<Resource> parseResource(JsonNode node) {
        IJsonLikeParser parser = (IJsonLikeParser) fhirContext.newJsonParser()
                .setParserErrorHandler(new LenientErrorHandler(false));
        JacksonStructure tree = new JacksonStructure();
        tree.setNativeObject((ObjectNode) node);
        try {
            return Optional.of((Resource) parser.parseResource(tree));
        } catch (DataFormatException | ClassCastException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            // HAPI's parser can fail with NullPointerException on some malformed JSON (e.g. an extension that is
            // not an object): that is still unreadable input, not a fault of ours.
            return Optional.empty();
        }
    }

    private static List<Resource> entriesOf(Bundle bundle) {
        List<Resource> resources = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource()) {
                resources.add(entry.getResource());
            }
        }
        return resources;
    }

    private static String requiredText(JsonNode node, String field) {
        return optionalText(node, field).orElseThrow(() ->
                CdsRequestException.badRequest("'" + field + "' is required and must be a non-empty string"));
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank()
                ? Optional.of(value.asText())
                : Optional.empty();
    }

    private static String checkServerUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw CdsRequestException.badRequest("'fhirServer' must be an http(s) URL");
    }
}
