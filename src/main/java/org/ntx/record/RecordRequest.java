package org.ntx.record;

import org.hl7.fhir.r4.model.Resource;
import org.ntx.source.AccessToken;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to read for one patient: the parts the caller already has (a CDS client's prefetch), the FHIR server to read
 * the rest from (this server's own store when there is none), and the draft orders under review, whose referenced
 * Medications are read too.
 *
 * @param prefetched parts the caller brought along with usable data; every other part is read
 * @param remote     the CDS client's FHIR server and the token it lent us; empty reads this server's own store
 * @param drafts     the orders being written (empty when none are)
 */
public record RecordRequest(
        String patientId,
        Map<RecordPart, List<Resource>> prefetched,
        Optional<RemoteServer> remote,
        List<Resource> drafts) {

    /** A FHIR server a caller named, read with the bearer token it lent us, if any. */
    public record RemoteServer(String baseUrl, Optional<AccessToken> token) {}

    /** Everything from this server's own store (FHIR operations, the write-time check). */
    public static RecordRequest fromStore(String patientId, List<Resource> drafts) {
        return new RecordRequest(patientId, Map.of(), Optional.empty(), drafts);
    }

    /** Nothing prefetched, no remote server: the record may be reused while provably current. */
    boolean wholeFromStore() {
        return remote.isEmpty() && prefetched.isEmpty();
    }
}
