package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CDS client's FHIR server ({@code fhirServer}), read with the bearer token it lent us. Follows {@code next}
 * links up to a page limit so a long history is read whole and a runaway server cannot keep us busy forever.
 */
final class RemoteFhirSource implements FhirDataSource {

    private final IGenericClient client;
    private final int maxPages;

    RemoteFhirSource(FhirContext fhirContext, String baseUrl, Optional<AccessToken> token, int maxPages) {
        this.client = fhirContext.newRestfulGenericClient(baseUrl);
        token.ifPresent(t -> client.registerInterceptor(new BearerTokenAuthInterceptor(t.value())));
        this.maxPages = maxPages;
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
