package org.ntx.cds;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.ResourceSearch;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/** This server's own store, read through HAPI's DAOs (no HTTP round trip), when the client names no fhirServer. */
@Component
class LocalFhirSource implements FhirDataSource {

    /** The most records of one type read for one patient; more than this is reported as unavailable, not cut. */
    static final int MAX_RESULTS = 10_000;

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;

    LocalFhirSource(DaoRegistry daos, MatchUrlService matchUrls) {
        this.daos = daos;
        this.matchUrls = matchUrls;
    }

    @Override
    public List<Resource> search(String relativeUrl) {
        try {
            ResourceSearch search = matchUrls.getResourceSearch(relativeUrl);
            SearchParameterMap map = search.getSearchParameterMap();
            map.setLoadSynchronousUpTo(MAX_RESULTS + 1);
            List<Resource> results = daos.getResourceDao(search.getResourceName())
                    .searchForResources(map, new SystemRequestDetails())
                    .stream().map(Resource.class::cast).toList();
            if (results.size() > MAX_RESULTS) {
                // Never decide on a truncated history: say the data is unavailable instead.
                throw new DataUnavailableException("More than " + MAX_RESULTS + " results for " + relativeUrl, null);
            }
            return results;
        } catch (DataUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataUnavailableException("Could not search this server's store for " + relativeUrl, e);
        }
    }

    @Override
    public Optional<Resource> read(String resourceType, String id) {
        try {
            return Optional.of((Resource) daos.getResourceDao(resourceType)
                    .read(new IdType(resourceType, id), new SystemRequestDetails()));
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new DataUnavailableException("Could not read " + resourceType + "/" + id + " from this server", e);
        }
    }
}
