package org.ntx.source;

import java.time.Duration;

/**
 * The moment by which everything one call waits on must have arrived: requests, the pages of their answers, a
 * response still dripping in. After it, what has not arrived is not waited for.
 */
public final class CallDeadline {

    private final Duration budget;
    private final long endNanos;

    private CallDeadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    public static CallDeadline after(Duration budget) {
        return new CallDeadline(budget);
    }

    /** The whole budget this deadline was given. */
    public Duration budget() {
        return budget;
    }

    /** What is left of it; zero once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }
}
