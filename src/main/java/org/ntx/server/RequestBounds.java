package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses, before any work is done, FHIR requests that would cost the server far more than their size suggests, or
 * that HAPI would answer with a 500 for what is a client's mistake: repeated or too many {@code _sort} keys, too many
 * or wildcard {@code _include}/{@code _revinclude}, a negative {@code _count} or {@code _offset}, an {@code If-Match}
 * that is no version ETag, a transaction or batch with more entries than {@link LimitProperties#maxBundleEntries()}
 * or more reads than {@link LimitProperties#maxBundleReads()}.
 * Each is a 400 with an OperationOutcome naming the limit. Applies to batch and transaction entries as well (each
 * GET entry runs as a request of its own).
 */
@Interceptor
public class RequestBounds {

    private static final Pattern VERSION_ETAG = Pattern.compile("(W/)?\"[0-9]{1,18}\"");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");

    private final LimitProperties limits;

    public RequestBounds(LimitProperties limits) {
        this.limits = limits;
    }

    /** Before HAPI reads the parameters into the method's arguments (where {@code _offset=-1} failed). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean beforeBinding(RequestDetails request) {
        refuse(problems(request.getParameters(), request.getHeader("If-Match")));
        return true;
    }

    /** Batch and transaction entries, which pass no POST_PROCESSED hook; and the bundle's own size. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void beforeHandling(RequestDetails request) {
        List<String> problems = new ArrayList<>(problems(request.getParameters(), null));
        IBaseResource body = request.getResource();
        if (body instanceof Bundle bundle
                && (bundle.getType() == Bundle.BundleType.TRANSACTION || bundle.getType() == Bundle.BundleType.BATCH)) {
            bundleProblems(bundle).ifPresent(problems::add);
        }
        refuse(problems);
    }

    /** Too many entries in this transaction or batch, or too many of them reads, in words for the client. */
    Optional<String> bundleProblems(Bundle bundle) {
        String type = bundle.getType().toCode();
        int entries = bundle.getEntry().size();
        if (entries > limits.maxBundleEntries()) {
            return Optional.of("A " + type + " may hold at most " + limits.maxBundleEntries()
                    + " entries (ntx.limits.max-bundle-entries); this one has " + entries + ": split it");
        }
        long reads = bundle.getEntry().stream().filter(entry -> entry.getRequest().getMethod() == Bundle.HTTPVerb.GET
                || entry.getRequest().getMethod() == Bundle.HTTPVerb.HEAD).count();
        if (reads > limits.maxBundleReads()) {
            return Optional.of("A " + type + " may hold at most " + limits.maxBundleReads()
                    + " GET or HEAD entries (ntx.limits.max-bundle-reads); this one has " + reads + ": split it");
        }
        return Optional.empty();
    }

    /** What is wrong with these search parameters and {@code If-Match}, in words for the client. */
    List<String> problems(Map<String, String[]> parameters, String ifMatch) {
        List<String> problems = new ArrayList<>();
        nonNegative(parameters, "_count").ifPresent(problems::add);
        nonNegative(parameters, "_offset").ifPresent(problems::add);

        List<String> sortKeys = new ArrayList<>();
        for (String value : parameters.getOrDefault("_sort", new String[0])) {
            for (String key : value.split(",", -1)) {
                String field = key.trim().startsWith("-") ? key.trim().substring(1) : key.trim();
                sortKeys.add(field);
            }
        }
        Set<String> distinct = new HashSet<>(sortKeys);
        if (distinct.size() < sortKeys.size() || distinct.contains("")) {
            problems.add("Each _sort key may appear once and none may be empty");
        }
        if (sortKeys.size() > limits.maxSortKeys()) {
            problems.add("A search may sort by at most " + limits.maxSortKeys() + " keys (ntx.limits.max-sort-keys)");
        }

        int includes = 0;
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            if (name.equals("_include") || name.equals("_revinclude") || name.startsWith("_include:")
                    || name.startsWith("_revinclude:")) {
                for (String value : parameter.getValue()) {
                    includes++;
                    if (value.trim().equals("*") || value.endsWith(":*")) {
                        problems.add("Name the references to include: " + name + "=* is not served");
                    }
                }
            }
        }
        if (includes > limits.maxIncludes()) {
            problems.add("A search may carry at most " + limits.maxIncludes() + " _include and _revinclude parameters"
                    + " (ntx.limits.max-includes)");
        }

        if (ifMatch != null && !VERSION_ETAG.matcher(ifMatch.trim()).matches()) {
            problems.add("If-Match must be the ETag of a version, such as W/\"3\"");
        }
        return problems;
    }

    private static Optional<String> nonNegative(Map<String, String[]> parameters, String name) {
        for (String value : parameters.getOrDefault(name, new String[0])) {
            if (!INTEGER.matcher(value.trim()).matches() || Long.parseLong(value.trim()) < 0) {
                return Optional.of(name + " must be a whole number, 0 or more");
            }
        }
        return Optional.empty();
    }

    private static void refuse(List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        String reason = String.join("; ", problems);
        boolean costly = problems.stream().allMatch(problem -> problem.contains("ntx.limits."));
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(costly ? OperationOutcome.IssueType.TOOCOSTLY : OperationOutcome.IssueType.INVALID)
                .setDiagnostics(reason);
        throw new InvalidRequestException(reason, outcome);
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FhirServerCustomizer requestBounds(LimitProperties limits) {
            return server -> server.registerInterceptor(new RequestBounds(limits));
        }
    }
}
