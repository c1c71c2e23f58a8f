package org.ntx.source;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.server.NumberRange;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call's reader of the CDS client's FHIR server ({@code fhirServer}), with the bearer token it lent us. Searches go
 * out at once and run side by side (within the bounds of {@link RemoteFhirClient}); each further page is asked for as
 * soon as its {@code next} link is known, up to a page limit so a runaway server cannot keep us busy. Nothing is
 * waited for past the call's {@link CallDeadline}; {@link #close()} cancels whatever is still outstanding.
 *
 * <p>The lent token goes to the origin of {@code fhirServer} only, and every request passes {@link #request(URI)},
 * the one place that decides it: a URL on another origin (scheme, host or port), or with user info, is not requested
 * at all (its data is reported unavailable), and redirects are never followed (a 3xx answer is data unavailable).
 */
public final class RemoteFhirSource implements FhirDataSource, AutoCloseable {

    private final RemoteFhirClient client;
    private final String base;
    private final URI origin;
    private final Optional<AccessToken> token;
    private final CallDeadline deadline;
    private final int maxPages;
    private final InFlightLimit callLimit;
    private final Set<CompletableFuture<?>> outstanding = ConcurrentHashMap.newKeySet();

    RemoteFhirSource(RemoteFhirClient client, String baseUrl, Optional<AccessToken> token, CallDeadline deadline,
                     int maxPages, InFlightLimit callLimit) {
        this.client = client;
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.origin = origin(URI.create(base));
        this.token = token;
        this.deadline = deadline;
        this.maxPages = maxPages;
        this.callLimit = callLimit;
    }

    /** The FHIR base URL read, without a trailing slash. */
    public String base() {
        return base;
    }

    /**
     * Whether this server says it can {@code _include} {@code include} on searches of {@code type}: false while its
     * CapabilityStatement is not known yet (it is then asked for in the background; this call does not wait).
     */
    public boolean canInclude(String type, String include) {
        return client.canInclude(base, origin, type, include).orElse(false);
    }

    /**
     * Whether this server lists the search parameter {@code parameter} for {@code type} in its CapabilityStatement:
     * false while that is not known yet (it is then asked for in the background; this call does not wait).
     */
    public boolean canSearchBy(String type, String parameter) {
        return client.canSearchBy(base, origin, type, parameter).orElse(false);
    }

    /** Starts a search ({@code Observation?patient=1}, relative to the base) and follows its pages as they come. */
    public RemoteSearch startSearch(String relativeUrl) {
        return follow(URI.create(base + "/" + relativeUrl), typeOf(relativeUrl));
    }

    /**
     * Continues a list someone else began: reads the page at {@code nextLink} (a {@code next} link of a prefetched
     * searchset) and those after it, as matches of {@code resourceType}.
     */
    public RemoteSearch continueSearch(String nextLink, String resourceType) {
        try {
            return follow(resolve(nextLink), resourceType);
        } catch (DataUnavailableException e) {
            return RemoteSearch.failed(e);
        }
    }

    private RemoteSearch follow(URI first, String resourceType) {
        RemoteSearch search = new RemoteSearch();
        page(search, first, resourceType, 1);
        return search;
    }

    private void page(RemoteSearch search, URI url, String resourceType, int number) {
        CompletableFuture<Bundle> page;
        try {
            page = fetch(request(url)).thenApplyAsync(this::bundle, client.executor());
        } catch (DataUnavailableException e) {
            search.done().completeExceptionally(e);
            return;
        }
        track(page).whenComplete((bundle, failure) -> {
            if (failure != null) {
                search.done().completeExceptionally(unavailable(failure, url));
                return;
            }
            List<Resource> matches = new ArrayList<>();
            List<Resource> included = new ArrayList<>();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (!entry.hasResource() || entry.getResource() instanceof OperationOutcome) {
                    continue;
                }
                boolean include = entry.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE
                        || (!entry.getSearch().hasMode() && !entry.getResource().fhirType().equals(resourceType));
                (include ? included : matches).add(entry.getResource());
            }
            search.add(matches, included);
            Bundle.BundleLinkComponent next = bundle.getLink(Bundle.LINK_NEXT);
            if (next == null || !next.hasUrl()) {
                search.done().complete(null);
            } else if (number >= maxPages) {
                search.done().completeExceptionally(new DataUnavailableException("More than " + maxPages
                        + " pages for " + resourceType, null));
            } else {
                try {
                    page(search, resolve(next.getUrl()), resourceType, number + 1);
                } catch (DataUnavailableException e) {
                    search.done().completeExceptionally(e);
                }
            }
        });
    }

    /** Reads one resource; empty when the server says it does not exist. */
    public CompletableFuture<Optional<Resource>> readAsync(String resourceType, String id) {
        URI url = URI.create(base + "/" + resourceType + "/" + id);
        CompletableFuture<HttpResponse<byte[]>> response;
        try {
            response = fetch(request(url));
        } catch (DataUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        return track(response.thenApplyAsync(r -> r.statusCode() == 404 || r.statusCode() == 410
                ? Optional.<Resource>empty() : Optional.of(resource(r)), client.executor()));
    }

    @Override
    public List<Resource> search(String relativeUrl) {
        RemoteSearch search = startSearch(relativeUrl);
        await(search.done(), relativeUrl);
        return search.matches();
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        return await(readAsync(resourceType, id), resourceType + "/" + id);
    }

    /** Waits for {@code future} until the deadline; its failure, or the deadline, as a DataUnavailableException. */
    public <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw DataUnavailableException.notInTime("Not read within the call's time budget: " + what);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause(), null);
        } catch (CancellationException e) {
            throw DataUnavailableException.notInTime("Not read within the call's time budget: " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DataUnavailableException.notInTime("Interrupted while reading " + what);
        }
    }

    /** Cancels every request of this call still outstanding: queued ones give up their place, sent ones abort. */
    @Override
    public void close() {
        outstanding.forEach(future -> future.cancel(true));
        outstanding.clear();
    }

    // --- the one place that decides where a request goes, and with what -----------------------------------------

    /**
     * The request for {@code url}: only to {@code fhirServer}'s origin, and only then with the lent token. Its time
     * limit is what is left of the call's budget.
     */
    private HttpRequest request(URI url) {
        if (!sameOrigin(url)) {
            // The lent token would go with the request: that data is not read.
            throw new DataUnavailableException("The CDS client's FHIR server sent a link to another server", null);
        }
        Duration left = deadline.remaining();
        if (left.isZero()) {
            throw DataUnavailableException.notInTime("The call's time budget is spent");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(left)
                .header("Accept", "application/fhir+json").GET();
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t.value()));
        return builder.build();
    }

    private CompletableFuture<HttpResponse<byte[]>> fetch(HttpRequest request) {
        return track(client.send(request, origin, callLimit));
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        outstanding.add(future);
        future.whenComplete((value, failure) -> outstanding.remove(future));
        return future;
    }

    /** A link as an absolute URL: relative ones are taken against the base. */
    private URI resolve(String link) {
        try {
            URI uri = new URI(link);
            return uri.isAbsolute() ? uri : URI.create(base + "/").resolve(uri);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new DataUnavailableException("The CDS client's FHIR server sent an unreadable link", null);
        }
    }

    private boolean sameOrigin(URI target) {
        return target.isAbsolute() && target.getRawUserInfo() == null && origin(target).equals(origin);
    }

    /** Scheme, host and port (the default port made explicit), lower case. */
    static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    // --- reading answers ------------------------------------------------------------------------------------------

    private Bundle bundle(HttpResponse<byte[]> response) {
        Resource resource = resource(response);
        if (!(resource instanceof Bundle bundle)) {
            throw new DataUnavailableException("The CDS client's FHIR server answered a search with a "
                    + resource.fhirType(), null);
        }
        return bundle;
    }

    private Resource resource(HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 != 2) {
            throw new DataUnavailableException("The CDS client's FHIR server answered HTTP " + response.statusCode(),
                    null);
        }
        byte[] body = response.body();
        // A number HAPI's parser would expand to an enormous string (see NumberRange) makes the answer unreadable.
        NumberRange.firstOutOfRange(body).ifPresent(number -> {
            throw new DataUnavailableException("The CDS client's FHIR server sent a number out of range", null);
        });
        String text = new String(body, StandardCharsets.UTF_8);
        IParser parser = text.stripLeading().startsWith("<") ? client.fhirContext().newXmlParser()
                : client.fhirContext().newJsonParser();
        try {
            return (Resource) parser.parseResource(text);
        } catch (DataFormatException | ClassCastException e) {
            throw new DataUnavailableException("The CDS client's FHIR server sent an unreadable answer", e);
        }
    }

    private static DataUnavailableException unavailable(Throwable failure, URI url) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DataUnavailableException unavailable) {
            return unavailable;
        }
        String what = url == null ? "" : " (" + url.getPath() + ")";
        if (cause instanceof HttpTimeoutException || cause instanceof CancellationException) {
            return DataUnavailableException.notInTime("Not read within the call's time budget" + what);
        }
        if (cause instanceof InFlightLimit.Saturated) {
            return new DataUnavailableException("Too many requests to the CDS client's FHIR server are waiting"
                    + what, null);
        }
        if (cause instanceof ConnectException) {
            return new DataUnavailableException("Could not connect to the CDS client's FHIR server" + what, cause);
        }
        if (cause instanceof IOException) {
            return new DataUnavailableException("Could not read the CDS client's FHIR server" + what, cause);
        }
        return new DataUnavailableException("Could not read the CDS client's FHIR server" + what, cause);
    }

    private static String typeOf(String relativeUrl) {
        int query = relativeUrl.indexOf('?');
        return query < 0 ? relativeUrl : relativeUrl.substring(0, query);
    }
}
