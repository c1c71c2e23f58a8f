package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import jakarta.annotation.PreDestroy;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one HTTP client this server reads CDS clients' FHIR servers with, shared by every call: a pool of keep-alive
 * connections, a few threads that handle responses (none is held while a request waits), and three bounds on what is
 * in flight (per call, per FHIR server, in all) with a bounded queue behind each, so a flood of CDS calls or one slow
 * server cannot exhaust the pool for everyone: past the queue a request is refused at once and its data reported
 * unavailable. Redirects are never followed (a redirect would carry the lent token wherever it points).
 *
 * <p>It also remembers, per server, what the server's CapabilityStatement says it can {@code _include}; a call never
 * waits for that statement: until it is known the referenced Medications are read in a second request.
 */
@Component
public class RemoteFhirClient {

    private static final Logger log = LoggerFactory.getLogger(RemoteFhirClient.class);
    private static final Duration CAPABILITIES_TIMEOUT = Duration.ofSeconds(10);
    /** A server whose statement could not be read is asked again after this long, not on every call. */
    private static final Duration CAPABILITIES_RETRY = Duration.ofMinutes(5);

    private final FhirContext fhirContext;
    private final RemoteFhirProperties properties;
    private final ExecutorService executor;
    private final HttpClient http;
    private final InFlightLimit all;
    private final ConcurrentHashMap<URI, InFlightLimit> perServer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Capabilities> capabilities = new ConcurrentHashMap<>();

    public RemoteFhirClient(FhirContext fhirContext, RemoteFhirProperties properties) {
        this.fhirContext = fhirContext;
        this.properties = properties;
        AtomicInteger threadNumber = new AtomicInteger();
        // Fixed threads; the queue holds only callbacks of requests already admitted by the bounds below.
        this.executor = new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ntx-remote-fhir-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.connectTimeout())
                .executor(executor)
                .build();
        this.all = new InFlightLimit("all FHIR servers", properties.maxInFlight(), properties.maxWaiting());
    }

    /**
     * A reader of one CDS client's FHIR server for one call: every request it makes is bounded by {@code deadline}
     * and goes to {@code baseUrl}'s origin only, with the lent token.
     */
    public RemoteFhirSource open(String baseUrl, Optional<AccessToken> token, CallDeadline deadline, int maxPages) {
        return new RemoteFhirSource(this, baseUrl, token, deadline, maxPages,
                new InFlightLimit("one call", properties.maxInFlightPerCall(), properties.maxWaiting()));
    }

    FhirContext fhirContext() {
        return fhirContext;
    }

    RemoteFhirProperties properties() {
        return properties;
    }

    ExecutorService executor() {
        return executor;
    }

    /**
     * Sends {@code request} once a place is free under the call's, the server's and the overall bound. Cancelling the
     * returned future gives up the place in the queue, or aborts the exchange.
     */
    CompletableFuture<HttpResponse<byte[]>> send(HttpRequest request, URI origin, InFlightLimit callLimit) {
        InFlightLimit server = perServer.computeIfAbsent(origin, o -> new InFlightLimit("one FHIR server",
                properties.maxInFlightPerServer(), properties.maxWaiting()));
        InFlightLimit[] limits = {callLimit, server, all};
        CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
        acquire(limits, 0, request, result);
        return result;
    }

    /** Places are taken in one order (call, server, all), so no two requests wait on each other in a cycle. */
    private void acquire(InFlightLimit[] limits, int next, HttpRequest request,
                         CompletableFuture<HttpResponse<byte[]>> result) {
        if (next == limits.length) {
            CompletableFuture<HttpResponse<byte[]>> exchange =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
            result.whenComplete((response, failure) -> {
                if (result.isCancelled()) {
                    exchange.cancel(true);
                }
            });
            exchange.whenComplete((response, failure) -> {
                release(limits, limits.length);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(response);
                }
            });
            return;
        }
        CompletableFuture<Void> place = limits[next].acquire();
        result.whenComplete((response, failure) -> {
            if (result.isCancelled()) {
                place.cancel(false);
            }
        });
        place.whenComplete((free, failure) -> {
            if (failure != null) {
                release(limits, next);
                result.completeExceptionally(failure);
            } else if (result.isDone()) {
                release(limits, next + 1);
            } else {
                acquire(limits, next + 1, request, result);
            }
        });
    }

    private static void release(InFlightLimit[] limits, int taken) {
        for (int i = 0; i < taken; i++) {
            limits[i].release();
        }
    }

    /**
     * Whether the server at {@code base} says it can {@code _include} {@code include} (e.g.
     * {@code MedicationRequest:medication}) on searches of {@code type}; empty while that is not known yet, and then
     * its CapabilityStatement is asked for in the background.
     */
    Optional<Boolean> canInclude(String base, URI origin, String type, String include) {
        return known(base, origin).map(k -> k.includes().contains(include) || k.includes().contains(type + ":*"));
    }

    /**
     * Whether the server at {@code base} lists the search parameter {@code parameter} for {@code type}; empty while
     * that is not known yet (its CapabilityStatement is then asked for in the background).
     */
    Optional<Boolean> canSearchBy(String base, URI origin, String type, String parameter) {
        return known(base, origin).map(k -> k.searchParameters().contains(type + ":" + parameter));
    }

    /** What the server's CapabilityStatement said, if known and current; asks for it (once) when not. */
    private Optional<Capabilities> known(String base, URI origin) {
        Capabilities known = capabilities.get(base);
        Instant now = Instant.now();
        if (known == null || known.expires().isBefore(now)) {
            Capabilities pending = new Capabilities(null, null, now.plus(CAPABILITIES_TIMEOUT));
            boolean ours = known == null ? capabilities.putIfAbsent(base, pending) == null
                    : capabilities.replace(base, known, pending);
            if (ours) {
                fetchCapabilities(base, origin);
            }
        }
        return known == null || known.includes() == null ? Optional.empty() : Optional.of(known);
    }

    private void fetchCapabilities(String base, URI origin) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metadata"))
                .header("Accept", "application/fhir+json").timeout(CAPABILITIES_TIMEOUT).GET().build();
        // No token: the statement is not patient data. Its own small bound, outside any call's.
        send(request, origin, new InFlightLimit("capabilities", 1, 0))
                .orTimeout(CAPABILITIES_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                .thenApplyAsync(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + response.statusCode());
                    }
                    CapabilityStatement statement = fhirContext.newJsonParser().parseResource(
                            CapabilityStatement.class, new String(response.body(), StandardCharsets.UTF_8));
                    return new Capabilities(includes(statement), searchParameters(statement),
                            Instant.now().plus(properties.capabilitiesTtl()));
                }, executor)
                .whenComplete((statement, failure) -> {
                    if (failure != null) {
                        log.info("The CapabilityStatement of a CDS client's FHIR server could not be read ({});"
                                + " Medications are read by id there", failure.getClass().getSimpleName());
                        capabilities.put(base, new Capabilities(Set.of(), Set.of(),
                                Instant.now().plus(CAPABILITIES_RETRY)));
                    } else {
                        capabilities.put(base, statement);
                    }
                });
    }

    /** "Type:param" for every searchInclude the statement lists, and "Type:*" for a wildcard. */
    private static Set<String> includes(CapabilityStatement statement) {
        Set<String> includes = new HashSet<>();
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            if (rest.getMode() != CapabilityStatement.RestfulCapabilityMode.SERVER) {
                continue;
            }
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.getSearchInclude().forEach(include -> includes.add(
                        include.getValue().equals("*") ? resource.getType() + ":*" : include.getValue()));
            }
        }
        return Set.copyOf(includes);
    }

    /** "Type:name" for every search parameter the statement lists for a type. */
    private static Set<String> searchParameters(CapabilityStatement statement) {
        Set<String> parameters = new HashSet<>();
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            if (rest.getMode() != CapabilityStatement.RestfulCapabilityMode.SERVER) {
                continue;
            }
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.getSearchParam().forEach(parameter -> parameters.add(resource.getType() + ":"
                        + parameter.getName()));
            }
        }
        return Set.copyOf(parameters);
    }

    /** What one server said it can do; {@code includes} and {@code searchParameters} null while being asked. */
    private record Capabilities(Set<String> includes, Set<String> searchParameters, Instant expires) {}

    @PreDestroy
    void shutDown() {
        executor.shutdownNow();
    }
}
