package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationConstants;
import ca.uhn.fhir.util.FhirTerser;
import ca.uhn.fhir.util.UrlUtil;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ntx.security.SmartScope.Permission;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a request's searches reach beyond the type searched, held to the token's scopes. A search can learn about
 * other resource types without returning them: a chained parameter ({@code subject:Patient.name=Smith}) or a chained
 * sort reads the Patient, {@code _has:Condition:patient:code=...} reads Conditions, {@code _list} reads a List. So can
 * every conditional URL (a conditional create's {@code If-None-Exist}, a conditional update, delete or patch, the same
 * inside a transaction) and every conditional reference ({@code "reference": "Patient?identifier=..."}), which HAPI
 * resolves by searching: whether the write succeeds answers the search. Each is a search the token must be allowed to
 * run:
 * <ul>
 *   <li>every type a chain, {@code _has}, chained sort or {@code _list} reaches needs {@code s} on that type;</li>
 *   <li>a conditional URL or reference needs {@code s} on its type, and what its parameters reach likewise;</li>
 *   <li>a token bound to a patient may use none of them except conditional URLs on types of the patient compartment,
 *       which {@link SmartAuthorization.PatientCompartmentNarrowing} confines to that patient; its conditional
 *       references, chains and {@code _has} are refused outright, because nothing narrows the other end;</li>
 *   <li>a conditional reference must name its type and at least one parameter ({@code "?"} alone is refused).</li>
 * </ul>
 * Refusals are 403 (400 for a reference or URL that is not a search at all), with an OperationOutcome. With
 * authentication off only the last check applies: HAPI answered {@code "reference": "?"} with a 500.
 */
@Interceptor(order = AuthorizationConstants.ORDER_AUTH_INTERCEPTOR - 2)
final class SearchReach {

    private static final String PATCH_KEY = SearchReach.class.getName() + ".patch";

    private final Function<RequestDetails, AccessGrant> grants;
    private final FhirContext fhirContext;
    private final BiFunction<String, String, RuntimeSearchParam> searchParams;
    private final boolean enforced;

    /**
     * @param searchParams the active search parameter of a type by name (HAPI's registry, custom ones included)
     * @param enforced     whether authentication is on (the scopes are checked); when off, only malformed searches
     */
    SearchReach(Function<RequestDetails, AccessGrant> grants, FhirContext fhirContext,
                BiFunction<String, String, RuntimeSearchParam> searchParams, boolean enforced) {
        this.grants = grants;
        this.fhirContext = fhirContext;
        this.searchParams = searchParams;
        this.enforced = enforced;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkRequest(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == null || operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        AccessGrant grant = grants.apply(request);
        List<String> problems = new ArrayList<>();
        switch (operation) {
            case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM, EXTENDED_OPERATION_TYPE,
                 EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_SERVER ->
                    problems.addAll(parameters(grant, request.getResourceName(), request.getParameters()));
            case CREATE -> {
                String ifNoneExist = request.getHeader("If-None-Exist");
                if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                    problems.addAll(conditionalUrl(grant, request.getResourceName(), ifNoneExist));
                }
            }
            case UPDATE, DELETE, PATCH -> {
                String conditional = request.getConditionalUrl(operation);
                if (conditional != null && !conditional.isBlank()) {
                    problems.addAll(conditionalUrl(grant, request.getResourceName(), conditional));
                } else if (request.getId() == null || !request.getId().hasIdPart()) {
                    // "PATCH Patient?" names neither a resource nor a search (HAPI failed with a NullPointerException).
                    problems.add(NOT_A_SEARCH + "name the resource (" + request.getResourceName()
                            + "/id) or a conditional URL with at least one search parameter");
                }
            }
            default -> {
            }
        }
        IBaseResource body = request.getResource();
        if (body instanceof Bundle bundle && (operation == RestOperationTypeEnum.TRANSACTION
                || operation == RestOperationTypeEnum.BATCH)) {
            problems.addAll(bundleEntries(grant, bundle));
            if (bundle.getEntry().stream().anyMatch(entry -> entry.getRequest().getMethod()
                    == Bundle.HTTPVerb.PATCH)) {
                request.getUserData().put(PATCH_KEY, Boolean.TRUE);
            }
        }
        if (operation == RestOperationTypeEnum.PATCH) {
            request.getUserData().put(PATCH_KEY, Boolean.TRUE);
        }
        if (body != null) {
            problems.addAll(conditionalReferences(grant, body));
        }
        refuse(problems);
    }

    /**
     * A patched resource may carry conditional references the request body did not show (other writes store what
     * was checked above).
     */
    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void checkCreated(IBaseResource resource, RequestDetails request) {
        checkStored(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void checkUpdated(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        checkStored(updated, request);
    }

    private void checkStored(IBaseResource resource, RequestDetails request) {
        if (request == null || request instanceof SystemRequestDetails
                || !Boolean.TRUE.equals(request.getUserData().get(PATCH_KEY))) {
            return;
        }
        refuse(conditionalReferences(grants.apply(request), resource));
    }

    private void refuse(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        String reason = String.join("; ", new LinkedHashSet<>(problems));
        if (problems.stream().allMatch(problem -> problem.startsWith(NOT_A_SEARCH))) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.INVALID).setDiagnostics(reason);
            throw new InvalidRequestException(reason, outcome);
        }
        throw SmartAuthorization.forbidden(reason);
    }

    private static final String NOT_A_SEARCH = "Not a search: ";

    /** Search parameters as received: each chain, {@code _has}, chained sort and {@code _list}. */
    List<String> parameters(AccessGrant grant, String type, Map<String, String[]> parameters) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            Set<String> reached = new LinkedHashSet<>();
            if (name.equals("_sort")) {
                for (String value : parameter.getValue()) {
                    for (String key : value.split(",")) {
                        String field = key.trim().startsWith("-") ? key.trim().substring(1) : key.trim();
                        if (type != null && !field.isEmpty()) {
                            reached.addAll(reached(type, field));
                        }
                    }
                }
            } else if (name.equals("_list")) {
                reached.add("List");
            } else if (type != null) {
                reached.addAll(reached(type, name));
            } else if (name.startsWith("_has") || name.contains(".")) {
                reached.add(null);
            }
            problems.addAll(allowed(grant, name, reached));
        }
        return problems;
    }

    private List<String> allowed(AccessGrant grant, String what, Set<String> reached) {
        if (reached.isEmpty() || !enforced) {
            return List.of();
        }
        if (grant.compartmentBound()) {
            return List.of("A token bound to a patient may not search through '" + what
                    + "' (chained parameters, _has, chained sorts and _list reach other records)");
        }
        List<String> problems = new ArrayList<>();
        for (String type : reached) {
            if (!grant.permissionsOn(type).contains(Permission.SEARCH)) {
                problems.add("'" + what + "' searches " + (type == null ? "resources of any type" : type)
                        + ", which the access token's scopes do not permit searching");
            }
        }
        return problems;
    }

    /**
     * The resource types a search parameter reads besides {@code type}, as sent ({@code subject:Patient.name},
     * {@code _has:Observation:patient:code}). {@code null} in the result stands for "any type".
     */
    Set<String> reached(String type, String name) {
        Set<String> reached = new LinkedHashSet<>();
        collect(type, name, reached, 0);
        return reached;
    }

    private void collect(String type, String name, Set<String> reached, int depth) {
        if (depth > 10) {
            reached.add(null);
            return;
        }
        if (name.startsWith("_has:")) {
            String[] parts = name.split(":", 4);
            if (parts.length < 4 || !knownType(parts[1])) {
                reached.add(null);
                return;
            }
            reached.add(parts[1]);
            collect(parts[1], parts[3], reached, depth + 1);
            return;
        }
        int dot = name.indexOf('.');
        if (dot < 0) {
            return;
        }
        String head = name.substring(0, dot);
        String rest = name.substring(dot + 1);
        int colon = head.indexOf(':');
        String parameter = colon < 0 ? head : head.substring(0, colon);
        String qualifier = colon < 0 ? null : head.substring(colon + 1);
        Set<String> targets = new LinkedHashSet<>();
        if (qualifier != null && knownType(qualifier)) {
            targets.add(qualifier);
        } else {
            RuntimeSearchParam searchParam = type == null ? null : searchParams.apply(type, parameter);
            if (searchParam == null || searchParam.getTargets() == null || searchParam.getTargets().isEmpty()) {
                reached.add(null);
                return;
            }
            targets.addAll(searchParam.getTargets());
        }
        for (String target : targets) {
            reached.add(target);
            collect(target, rest, reached, depth + 1);
        }
    }

    private boolean knownType(String type) {
        try {
            return fhirContext.getResourceTypes().contains(type);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A conditional URL ({@code identifier=x|1} or {@code Observation?identifier=x|1}) is a search of {@code type}. */
    List<String> conditionalUrl(AccessGrant grant, String type, String url) {
        int question = url.indexOf('?');
        String query = question < 0 ? url : url.substring(question + 1);
        String urlType = question > 0 ? url.substring(0, question).replaceFirst("^/", "") : type;
        if (urlType == null || !knownType(urlType)) {
            return List.of(NOT_A_SEARCH + "a conditional URL must name a resource type");
        }
        Map<String, String[]> parameters = UrlUtil.parseQueryString(query);
        if (parameters.isEmpty()) {
            return List.of(NOT_A_SEARCH + "a conditional URL must name at least one search parameter");
        }
        List<String> problems = new ArrayList<>();
        if (!enforced) {
            return problems;
        }
        if (grant.compartmentBound()) {
            if (!inPatientCompartment(urlType)) {
                problems.add("A token bound to a patient may not use a conditional URL on " + urlType
                        + ", which is outside the patient compartment");
            }
        } else if (!grant.permissionsOn(urlType).contains(Permission.SEARCH)) {
            problems.add("A conditional URL searches " + urlType + ", which the access token's scopes do not permit"
                    + " searching");
        }
        problems.addAll(parameters(grant, urlType, parameters));
        return problems;
    }

    private boolean inPatientCompartment(String type) {
        RuntimeResourceDefinition definition = fhirContext.getResourceDefinition(type);
        return type.equals("Patient") || !definition.getSearchParamsForCompartmentName("Patient").isEmpty();
    }

    /** The conditional URLs in a transaction or batch: {@code ifNoneExist}, and conditional PUT/DELETE/PATCH URLs. */
    private List<String> bundleEntries(AccessGrant grant, Bundle bundle) {
        List<String> problems = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            if (request == null || request.getMethod() == null) {
                continue;
            }
            String url = request.getUrl() == null ? "" : request.getUrl();
            String path = (url.contains("?") ? url.substring(0, url.indexOf('?')) : url).replaceFirst("^/+", "");
            String type = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            switch (request.getMethod()) {
                case POST -> {
                    if (request.hasIfNoneExist()) {
                        problems.addAll(conditionalUrl(grant, type, request.getIfNoneExist()));
                    }
                }
                case PUT, DELETE, PATCH -> {
                    if (url.contains("?")) {
                        problems.addAll(conditionalUrl(grant, type, url));
                    }
                }
                default -> {
                    // GET and HEAD entries run as requests of their own and are checked as such.
                }
            }
        }
        return problems;
    }

    /** Every {@code Type?params} reference in {@code resource} (contained resources and bundle entries included). */
    List<String> conditionalReferences(AccessGrant grant, IBaseResource resource) {
        List<String> problems = new ArrayList<>();
        FhirTerser terser = fhirContext.newTerser();
        // The terser does not look into nested resources (bundle entries, contained) for references: visit each.
        Set<IBaseReference> references = Collections.newSetFromMap(new IdentityHashMap<>());
        List<IBaseResource> resources = new ArrayList<>(List.of(resource));
        resources.addAll(terser.getAllPopulatedChildElementsOfType(resource, IBaseResource.class));
        for (IBaseResource each : resources) {
            references.addAll(terser.getAllPopulatedChildElementsOfType(each, IBaseReference.class));
        }
        for (IBaseReference reference : references) {
            String value = reference.getReferenceElement().getValue();
            if (value == null || !value.contains("?") || value.startsWith("#") || hasScheme(value)) {
                continue;
            }
            int question = value.indexOf('?');
            String type = value.substring(0, question).replaceFirst("^/", "");
            if (!knownType(type)) {
                problems.add(NOT_A_SEARCH + "the conditional reference '" + shown(value)
                        + "' must start with a resource type");
                continue;
            }
            if (UrlUtil.parseQueryString(value.substring(question + 1)).isEmpty()) {
                problems.add(NOT_A_SEARCH + "the conditional reference '" + shown(value)
                        + "' must name at least one search parameter");
                continue;
            }
            if (enforced && grant.compartmentBound()) {
                problems.add("A token bound to a patient may not write conditional references (" + type
                        + "?...): they search beyond the patient's record");
                continue;
            }
            problems.addAll(conditionalUrl(grant, type, value));
        }
        return problems;
    }

    private static boolean hasScheme(String reference) {
        int colon = reference.indexOf(':');
        int question = reference.indexOf('?');
        return colon > 0 && (question < 0 || colon < question)
                && reference.substring(0, colon).toLowerCase(Locale.ROOT).matches("[a-z][a-z0-9+.-]*");
    }

    private static String shown(String value) {
        String text = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
