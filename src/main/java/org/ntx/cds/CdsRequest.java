package org.ntx.cds;

import org.hl7.fhir.r4.model.Resource;
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
 */
record CdsRequest(
        CdsHook hook,
        String hookInstance,
        String patientId,
        Optional<String> userId,
        Optional<String> fhirServer,
        Optional<AccessToken> accessToken,
        List<Resource> draftOrders,
        Map<PrefetchKey, List<Resource>> prefetch) {}
