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
 * @param prefetchedNext the {@code next} link of each prefetched part that came as the first page of a longer
 *                   searchset: the rest is read from {@code remote}, or the part is reported incomplete without one
 */
public record RecordRequest(
        String patientId,
        Map<RecordPart, List<Resource>> prefetched,
        Optional<RemoteServer> remote,
        List<Resource> drafts,
        Map<RecordPart, String> prefetchedNext) {

    public RecordRequest {
        prefetchedNext = Map.copyOf(prefetchedNext);
    }

    /** A request whose prefetched parts are complete. */
    public RecordRequest(String patientId, Map<RecordPart, List<Resource>> prefetched, Optional<RemoteServer> remote,
                         List<Resource> drafts) {
        this(patientId, prefetched, remote, drafts, Map.of());
    }

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
