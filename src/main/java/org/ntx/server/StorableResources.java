package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses to store what could not be read back. HAPI keeps a decimal as it was written and stores resources as JSON,
 * so an XML {@code <value value="5."/>} was stored as {@code "value": 5.}, which JSON parsers refuse: from then on
 * the patient's Observation search failed (HAPI's own loader happens to repair that one form; nothing else does). Before any
 * resource is stored (created, updated, patched, in a transaction, from XML or JSON alike), every value in it, its
 * contained resources included, must be one that its JSON form carries intact:
 * <ul>
 *   <li>a decimal written as a JSON number ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}), with a scale
 *       within ±{@value NumberRange#MAX_SCALE};</li>
 *   <li>a primitive value the parser could read (not one kept only as the text it failed on);</li>
 *   <li>text without unpaired UTF-16 surrogates (written as '?' when encoded) and without control characters other
 *       than tab, line feed and carriage return (FHIR's rule for strings).</li>
 * </ul>
 * Anything else is 400 with an OperationOutcome naming the value's element; nothing is stored.
 */
@Interceptor
public class StorableResources {

    /** FHIR R4's lexical form of decimal, which is also JSON's number grammar. */
    static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final FhirContext fhirContext;

    public StorableResources(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = -110)
    public void onCreate(IBaseResource resource) {
        check(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = -110)
    public void onUpdate(IBaseResource previous, IBaseResource updated) {
        check(updated);
    }

    void check(IBaseResource resource) {
        problem(resource).ifPresent(problem -> {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID).setDiagnostics(problem);
            throw new InvalidRequestException(problem, outcome);
        });
    }

    /** The first value in {@code resource} (or a resource inside it) that would not survive being stored. */
    Optional<String> problem(IBaseResource resource) {
        FhirTerser terser = fhirContext.newTerser();
        List<IBaseResource> resources = new ArrayList<>(List.of(resource));
        // The terser does not descend into nested resources (contained) when collecting values: visit each.
        resources.addAll(terser.getAllPopulatedChildElementsOfType(resource, IBaseResource.class));
        for (IBaseResource each : resources) {
            for (IPrimitiveType<?> primitive : terser.getAllPopulatedChildElementsOfType(each, IPrimitiveType.class)) {
                Optional<String> problem = problem(primitive);
                if (problem.isPresent()) {
                    return Optional.of(problem.get() + " (in " + each.fhirType() + ")");
                }
            }
        }
        return Optional.empty();
    }

    static Optional<String> problem(IPrimitiveType<?> primitive) {
        String text = primitive.getValueAsString();
        if (text == null) {
            return Optional.empty();
        }
        if (primitive.getValue() == null) {
            return Optional.of("The value '" + shown(text) + "' is not a valid " + primitive.fhirType());
        }
        if (primitive instanceof DecimalType decimal) {
            if (!DECIMAL.matcher(text).matches()) {
                return Optional.of("The decimal '" + shown(text) + "' is not written as a JSON number (for example"
                        + " 5 or 5.0, not 5. or .5 or +5)");
            }
            BigDecimal value = decimal.getValue();
            if (Math.abs((long) value.scale()) > NumberRange.MAX_SCALE) {
                return Optional.of("The number " + shown(text) + " is out of range");
            }
            return Optional.empty();
        }
        if (primitive.getValue() instanceof String string) {
            for (int i = 0; i < string.length(); i++) {
                char c = string.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < string.length()
                        && Character.isLowSurrogate(string.charAt(i + 1))) {
                    i++;
                    continue;
                }
                if (Character.isSurrogate(c)) {
                    return Optional.of("A " + primitive.fhirType() + " holds an unpaired UTF-16 surrogate, which"
                            + " cannot be stored as text");
                }
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    return Optional.of("A " + primitive.fhirType() + " holds the control character U+"
                            + String.format("%04X", (int) c) + ", which FHIR does not allow in text");
                }
            }
        }
        return Optional.empty();
    }

    private static String shown(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FhirServerCustomizer storableResources(FhirContext fhirContext) {
            return server -> server.registerInterceptor(new StorableResources(fhirContext));
        }
    }
}
