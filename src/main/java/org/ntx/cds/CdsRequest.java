package org.ntx.cds;

import org.hl7.fhir.r4.model.Resource;
import org.ntx.record.RecordPart;
import org.ntx.record.RecordRequest;
import org.ntx.source.AccessToken;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CDS Hooks call, parsed leniently and checked for what we need.
 *
 * @param draftOrders the resources in {@code context.draftOrders} (empty for patient-view, or before any order is
 *                    chosen in order-select)
 * @param prefetch    the prefetch entries the client filled in with usable data; a key that was missing, null or an
 *                    OperationOutcome is absent, and we fetch that data ourselves
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
        Map<RecordPart, String> prefetchNext) {

    /** What the record layer reads for this call: prefetch first, the rest from {@code fhirServer} or our store. */
    RecordRequest recordRequest() {
        return new RecordRequest(patientId, prefetch,
                fhirServer.map(url -> new RecordRequest.RemoteServer(url, accessToken)), draftOrders, prefetchNext);
    }
}
