package org.ntx.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The opioid-free interval an antagonist has to wait for, as of one instant.
 *
 * @param lastExposure the most recent moment an opioid was present (end of supply; may lie after {@code asOf} while
 *                     supply remains), or a positive urine screen
 * @param closesAt     when the interval ends: the latest of each exposure plus its window (7 days short-acting, 10-14
 *                     days long-acting, 7 days after a positive screen)
 * @param opioidOngoing an opioid is still supplied, prescribed or reported as taken at {@code asOf}
 * @param evidence     the records that set {@code lastExposure} and {@code closesAt}, and any ongoing opioid
 */
public record OpioidFreeWindow(Instant lastExposure, Instant closesAt, boolean opioidOngoing, List<Evidence> evidence) {

    public OpioidFreeWindow {
        Objects.requireNonNull(lastExposure, "lastExposure");
        Objects.requireNonNull(closesAt, "closesAt");
        evidence = List.copyOf(evidence);
    }

    /** Still inside the interval: starting an antagonist now risks precipitated withdrawal. */
    public boolean isOpenAt(Instant asOf) {
        return asOf.isBefore(closesAt);
    }
}
