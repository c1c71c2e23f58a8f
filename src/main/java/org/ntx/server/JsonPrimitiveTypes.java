package org.ntx.server;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * FHIR's JSON format gives each primitive a JSON type: decimals and integers are numbers, booleans are {@code true} or
 * {@code false}, everything else is a string. HAPI's parser reads {@code "value": "5"} or {@code "active": "true"}
 * as if they were written correctly, even with its strict error handler; a write that does not follow the format is
 * refused with 400 instead, naming the element, so that what a client sends is what FHIR says it means; so is an
 * object that names the same element twice.
 */
@Interceptor
public class JsonPrimitiveTypes {

    private static final Set<RestOperationTypeEnum> WRITES = EnumSet.of(RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH);
    private static final Set<String> NUMBERS = Set.of("decimal", "integer", "positiveInt", "unsignedInt", "integer64");
    /** Duplicate keys are refused too: a parser keeps one of them, and which one is nobody's promise. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int MAX_DEPTH = 64;

    private final FhirContext fhirContext;

    public JsonPrimitiveTypes(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request) {
        String type = request.getHeader("Content-Type");
        if (!WRITES.contains(request.getRestOperationType()) || type == null
                || !type.toLowerCase(Locale.ROOT).contains("json")) {
            return;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return;
        }
        JsonNode root;
        Optional<String> duplicate = Optional.empty();
        try {
            root = JSON.readTree(body);
        } catch (JsonParseException e) {
            if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field")) {
                return; // HAPI has already parsed this body; whatever else this reader refuses, that one accepted
            }
            root = null;
            duplicate = Optional.of("A JSON object in the body names the same element twice");
        } catch (IOException e) {
            return;
        }
        (root == null ? duplicate : problem(root)).ifPresent(problem -> {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.STRUCTURE).setDiagnostics(problem);
            throw new InvalidRequestException(problem, outcome);
        });
    }

    /** The first primitive in this JSON resource written with the wrong JSON type, or empty. */
    Optional<String> problem(JsonNode resource) {
        return resource(resource, "", 0);
    }

    private Optional<String> resource(JsonNode node, String path, int depth) {
        if (node == null || !node.isObject() || !node.path("resourceType").isTextual()) {
            return Optional.empty();
        }
        RuntimeResourceDefinition definition;
        try {
            definition = fhirContext.getResourceDefinition(node.get("resourceType").asText());
        } catch (RuntimeException unknown) {
            return Optional.empty(); // the parser reports an unknown type
        }
        return composite(node, definition, node.get("resourceType").asText() + path, depth);
    }

    private Optional<String> composite(JsonNode node, BaseRuntimeElementCompositeDefinition<?> definition,
                                       String path, int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.equals("resourceType") || name.startsWith("_") || name.equals("fhir_comments")) {
                continue;
            }
            BaseRuntimeChildDefinition child = definition.getChildByName(name);
            BaseRuntimeElementDefinition<?> element = child == null ? null : child.getChildByName(name);
            if (element == null) {
                continue; // unknown elements are the strict parser's to refuse
            }
            JsonNode value = field.getValue();
            for (JsonNode item : value.isArray() ? value : java.util.List.of(value)) {
                Optional<String> problem = element(item, element, path + "." + name, depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> element(JsonNode value, BaseRuntimeElementDefinition<?> element, String path, int depth) {
        if (value.isNull()) {
            return Optional.empty();
        }
        return switch (element.getChildType()) {
            case PRIMITIVE_DATATYPE, ID_DATATYPE -> {
                String expected = NUMBERS.contains(element.getName()) ? "number"
                        : element.getName().equals("boolean") ? "boolean" : "string";
                boolean right = switch (expected) {
                    case "number" -> value.isNumber();
                    case "boolean" -> value.isBoolean();
                    default -> value.isTextual();
                };
                yield right || value.isContainerNode() ? Optional.empty() : Optional.of("The element '" + path
                        + "' (" + element.getName() + ") must be a JSON " + expected + ", not a JSON "
                        + value.getNodeType().name().toLowerCase(Locale.ROOT));
            }
            case COMPOSITE_DATATYPE, RESOURCE_BLOCK, EXTENSION_DECLARED ->
                    value.isObject() && element instanceof BaseRuntimeElementCompositeDefinition<?> composite
                            ? composite(value, composite, path, depth) : Optional.empty();
            case RESOURCE, CONTAINED_RESOURCES, CONTAINED_RESOURCE_LIST -> resource(value, "", depth);
            default -> Optional.empty();
        };
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FhirServerCustomizer jsonPrimitiveTypes(FhirContext fhirContext) {
            return server -> server.registerInterceptor(new JsonPrimitiveTypes(fhirContext));
        }
    }
}
