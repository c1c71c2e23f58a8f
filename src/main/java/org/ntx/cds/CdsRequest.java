package org.ntx.cds;

import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.RecordPart;
import org.ntx.record.RecordRequest;
import org.ntx.source.AccessToken;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CDS Hooks call, parsed leniently and checked for what we need.
 *
 * @param draftOrders the resources in {@code context.draftOrders} (empty for patient-view, or before any order is
 *                    chosen in order-select)
 * @param prefetch    the prefetch entries the client filled in with usable data; a key that was missing, null or an
 *                    OperationOutcome is absent, and we fetch that data ourselves
 * @param encounterId {@code context.encounterId}
 * @param draftIds    the ids the client gave its draft MedicationRequests; drafts without one were given one by the
 *                    parser (so every draft can be named), and those are not in this set
 * @param pddi        the PDDI CDS IG's configuration items the request sent
 * @param prefetchNext the {@code next} link of each prefetched searchset that holds only its first page
 */
record CdsRequest(
        CdsHook hook,
        String hookInstance,
        String patientId,
        Optional<String> userId,
        Optional<String> fhirServer,
        Optional<AccessToken> accessToken,
        List<Resource> draftOrders,
        Map<RecordPart, List<Resource>> prefetch,
        Optional<String> encounterId,
        Set<String> draftIds,
        PddiConfiguration pddi,
        Map<RecordPart, String> prefetchNext) {

    /**
     * The PDDI CDS IG's {@code extension.pddi-configuration-items} (cds-service-spec, "Advanced Implementation"):
     * {@code cache-for-order-sign-filtering} is sent to order-select, {@code filter-out-repeated-alerts} to
     * order-sign; each is absent when the client did not send it.
     */
    record PddiConfiguration(Optional<Boolean> cacheForOrderSignFiltering, Optional<Boolean> filterOutRepeatedAlerts) {
        static final PddiConfiguration NONE = new PddiConfiguration(Optional.empty(), Optional.empty());
    }

    /**
     * Some of the record is read from this server's own store (no {@code fhirServer}, not everything prefetched), so
     * the patient is one of this server's and its timeline page shows them. A record read from a client's FHIR server,
     * or brought along whole in prefetch, is about a patient this server may not hold.
     */
    boolean readsOwnStore() {
        return fhirServer.isEmpty() && Arrays.stream(RecordPart.values())
                .anyMatch(part -> part != RecordPart.PATIENT && !prefetch.containsKey(part));
    }

    /** What the record layer reads for this call: prefetch first, the rest from {@code fhirServer} or our store. */
    RecordRequest recordRequest() {
        return new RecordRequest(patientId, prefetch,
                fhirServer.map(url -> new RecordRequest.RemoteServer(url, accessToken)), draftOrders, prefetchNext);
    }
}
