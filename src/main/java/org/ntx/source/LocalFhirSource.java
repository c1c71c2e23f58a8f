package org.ntx.source;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.ResourceSearch;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** This server's own store, read through HAPI's DAOs (no HTTP round trip), when the client names no fhirServer. */
@Component
class LocalFhirSource implements FhirDataSource {

    private static final Logger log = LoggerFactory.getLogger(LocalFhirSource.class);

    /** The most records of one type read for one patient; more than this is reported as unavailable, not cut. */
    static final int MAX_RESULTS = 10_000;

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final TransactionTemplate snapshot;
    private final PatientReferenceIndex referenceIndex;

    LocalFhirSource(DaoRegistry daos, MatchUrlService matchUrls, PlatformTransactionManager transactions,
                    PatientReferenceIndex referenceIndex) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.referenceIndex = referenceIndex;
        this.snapshot = new TransactionTemplate(transactions);
        // Read-only: Hibernate skips the flush (dirty checking) at commit. The isolation stays the database
        // default: HAPI's Hibernate set-up does not let Spring change it per transaction.
        snapshot.setReadOnly(true);
    }

    /**
     * The reads for one patient's record in one read-only transaction: the six searches share one connection and one commit
     * instead of six, with no flush of a session that only read.
     */
    @Override
    public <T> T readTogether(Supplier<T> reads) {
        try {
            return snapshot.execute(status -> reads.get());
        } catch (DataUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("Reading this server's store for a CDS call failed; the call reports the data as unavailable", e);
            throw new DataUnavailableException("Could not read this server's store", e);
        }
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

    /** One query over HAPI's reference index instead of a search per type ({@link PatientReferenceIndex}). */
    @Override
    public Optional<PatientResources> searchByPatient(String patientId, Set<String> resourceTypes,
                                                      Set<String> observationCodes) {
        try {
            return snapshot.execute(status -> referenceIndex.byType(patientId, resourceTypes, observationCodes,
                    MAX_RESULTS));
        } catch (RuntimeException e) {
            throw new DataUnavailableException("Could not read patient " + patientId + " from this server", e);
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
