package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.apache.ApacheRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.server.NumberRange;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CDS client's FHIR server ({@code fhirServer}), read with the bearer token it lent us. Follows {@code next}
 * links up to a page limit so a long history is read whole and a runaway server cannot keep us busy forever.
 *
 * <p>The lent token goes to the origin of {@code fhirServer} only: redirects are never followed (a 3xx answer is
 * data unavailable), and a {@code next} link to another origin (scheme, host or port) is not followed either; that
 * data is reported unavailable instead.
 */
public final class RemoteFhirSource implements FhirDataSource {

    private final IGenericClient client;
    private final URI origin;
    private final int maxPages;

    public RemoteFhirSource(FhirContext fhirContext, String baseUrl, Optional<AccessToken> token, int maxPages) {
        neverFollowRedirects(fhirContext);
        this.client = fhirContext.newRestfulGenericClient(baseUrl);
        this.origin = origin(URI.create(baseUrl));
        token.ifPresent(t -> client.registerInterceptor(new BearerTokenAuthInterceptor(t.value())));
        client.registerInterceptor(new NumberRangeCheck());
        this.maxPages = maxPages;
    }

    /**
     * Gives the context a client factory whose HTTP client never follows a redirect (a redirect would carry the lent
     * bearer token to wherever the FHIR server, or anyone who controls its answers, points), with the same timeouts
     * and pool as before. It must be the context's own factory: HAPI's generic client builds each HTTP request through
     * {@code FhirContext#getRestfulClientFactory()}, whatever factory created the client.
     */
    static void neverFollowRedirects(FhirContext fhirContext) {
        synchronized (fhirContext) {
            IRestfulClientFactory current = fhirContext.getRestfulClientFactory();
            if (current instanceof NoRedirects) {
                return;
            }
            NoRedirects factory = new NoRedirects(fhirContext);
            factory.setConnectTimeout(current.getConnectTimeout());
            factory.setSocketTimeout(current.getSocketTimeout());
            factory.setConnectionRequestTimeout(current.getConnectionRequestTimeout());
            factory.setPoolMaxTotal(current.getPoolMaxTotal());
            factory.setPoolMaxPerRoute(current.getPoolMaxPerRoute());
            factory.setServerValidationMode(current.getServerValidationMode());
            fhirContext.setRestfulClientFactory(factory);
        }
    }

    /** HAPI's Apache client factory without redirect handling. */
    static final class NoRedirects extends ApacheRestfulClientFactory {
        NoRedirects(FhirContext fhirContext) {
            super(fhirContext);
        }

        @Override
        protected HttpClientBuilder getHttpClientBuilder() {
            return HttpClients.custom().disableRedirectHandling();
        }
    }

    /** Scheme, host and port (the default port made explicit), lower case. */
    private static URI origin(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    private boolean sameOrigin(String link) {
        try {
            URI target = URI.create(link);
            return target.isAbsolute() && target.getRawUserInfo() == null && origin(target).equals(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Refuses a response holding a number HAPI's parser would expand to an enormous string (see {@link NumberRange}):
     * the data is then reported unavailable, as for any unreadable answer.
     */
    private static final class NumberRangeCheck implements IClientInterceptor {

        @Override
        public void interceptRequest(IHttpRequest request) {
        }

        @Override
        public void interceptResponse(IHttpResponse response) throws IOException {
            response.bufferEntity();
            byte[] body;
            try (InputStream in = response.readEntity()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            NumberRange.firstOutOfRange(body).ifPresent(number -> {
                throw new DataUnavailableException("The CDS client's FHIR server sent a number out of range", null);
            });
        }
    }

    @Override
    public List<Resource> search(String relativeUrl) {
        try {
            List<Resource> resources = new ArrayList<>();
            Bundle page = client.search().byUrl(relativeUrl).returnBundle(Bundle.class).execute();
            for (int pages = 1; page != null; pages++) {
                page.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                        .forEach(entry -> resources.add(entry.getResource()));
                if (page.getLink(Bundle.LINK_NEXT) == null) {
                    break;
                }
                if (pages >= maxPages) {
                    throw new DataUnavailableException("More than " + maxPages + " pages for " + relativeUrl, null);
                }
                if (!sameOrigin(page.getLink(Bundle.LINK_NEXT).getUrl())) {
                    // The lent token would go with the request: the rest of this search is not read.
                    throw new DataUnavailableException("The CDS client's FHIR server sent a paging link to another"
                            + " server for " + relativeUrl, null);
                }
                page = client.loadPage().next(page).execute();
            }
            return resources;
        } catch (DataUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataUnavailableException("Could not read " + relativeUrl + " from the CDS client's FHIR server", e);
        }
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        try {
            return Optional.of((Resource) client.read().resource(resourceType).withId(id).execute());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new DataUnavailableException("Could not read " + resourceType + "/" + id, e);
        }
    }
}
