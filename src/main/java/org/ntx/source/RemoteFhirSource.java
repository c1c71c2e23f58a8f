package org.ntx.source;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.server.NumberRange;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CDS client's FHIR server ({@code fhirServer}), read with the bearer token it lent us. Follows {@code next}
 * links up to a page limit so a long history is read whole and a runaway server cannot keep us busy forever.
 */
public final class RemoteFhirSource implements FhirDataSource {

    private final IGenericClient client;
    private final int maxPages;

    public RemoteFhirSource(FhirContext fhirContext, String baseUrl, Optional<AccessToken> token, int maxPages) {
        this.client = fhirContext.newRestfulGenericClient(baseUrl);
        token.ifPresent(t -> client.registerInterceptor(new BearerTokenAuthInterceptor(t.value())));
        client.registerInterceptor(new NumberRangeCheck());
        this.maxPages = maxPages;
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
