package org.ntx.source;

import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A search on a CDS client's FHIR server as it arrives, page by page: what has arrived so far is readable at any
 * time (at the deadline, what was read can still prove a finding), and {@link #done()} tells whether the whole list
 * arrived.
 */
public final class RemoteSearch {

    private final List<Resource> matches = Collections.synchronizedList(new ArrayList<>());
    private final List<Resource> included = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Completes when every page has arrived; fails with a {@code DataUnavailableException} when one cannot. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** The resources that matched, from the pages that have arrived. */
    public List<Resource> matches() {
        synchronized (matches) {
            return List.copyOf(matches);
        }
    }

    /** Resources the server added to the pages ({@code _include}), e.g. the referenced Medications. */
    public List<Resource> included() {
        synchronized (included) {
            return List.copyOf(included);
        }
    }

    /** True when some pages arrived but not all of them. */
    public boolean partial() {
        return !done.isDone() || done.isCompletedExceptionally() ? !matches.isEmpty() || !included.isEmpty() : false;
    }

    void add(List<Resource> pageMatches, List<Resource> pageIncluded) {
        matches.addAll(pageMatches);
        included.addAll(pageIncluded);
    }

    /** A search that has already failed. */
    static RemoteSearch failed(RuntimeException failure) {
        RemoteSearch search = new RemoteSearch();
        search.done.completeExceptionally(failure);
        return search;
    }
}
