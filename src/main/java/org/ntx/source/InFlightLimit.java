package org.ntx.source;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * At most {@code max} requests in flight, without holding a thread while one waits: a request waits in a queue of at
 * most {@code maxWaiting}, and past that is refused at once (the caller reports the data unavailable rather than
 * letting a flood of calls queue without bound). A waiter that gives up (its future is cancelled) loses its place.
 */
final class InFlightLimit {

    private final String name;
    private final int max;
    private final int maxWaiting;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int inFlight;

    InFlightLimit(String name, int max, int maxWaiting) {
        this.name = name;
        this.max = max;
        this.maxWaiting = maxWaiting;
    }

    /** Completes when a place is free; fails at once with {@link Saturated} when the queue is full. */
    CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (inFlight < max) {
                inFlight++;
                return CompletableFuture.completedFuture(null);
            }
            waiting.removeIf(CompletableFuture::isDone);
            if (waiting.size() >= maxWaiting) {
                return CompletableFuture.failedFuture(new Saturated(name));
            }
            CompletableFuture<Void> place = new CompletableFuture<>();
            waiting.add(place);
            return place;
        }
    }

    /** Gives a place back: to the first waiter still waiting, else to the pool. */
    void release() {
        while (true) {
            CompletableFuture<Void> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // The place passes to this waiter, unless it gave up meanwhile; then to the next one.
            if (next.complete(null)) {
                return;
            }
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** Too many requests are already waiting for this limit. */
    static final class Saturated extends RuntimeException {
        Saturated(String name) {
            super("Too many requests waiting for " + name, null, false, false);
        }
    }
}
