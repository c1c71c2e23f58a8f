package org.ntx.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The opioid-free interval an antagonist has to wait for, as of one instant.
 *
 * @param lastExposure the most recent moment an opioid was present (end of supply, end of a depot's or implant's
 *                     exposure; may lie after {@code asOf} while supply remains), or a positive urine screen; for a
 *                     window kept open only by orders on file, the date the latest such order was written
 * @param closesAt     when the interval ends: the latest of each exposure plus its window (7 days short-acting, 10-14
 *                     days long-acting, 7 days after a positive screen)
 * @param opioidOngoing an opioid is still supplied, prescribed or reported as taken at {@code asOf}
 * @param evidence     the records that set {@code lastExposure} and {@code closesAt}, and any ongoing opioid
 * @param onFileOnly   only active opioid orders on file, not known to be taken, keep the window open
 * @param textOnly     the records that keep it open were all recognised from their text, not their codes
 * @param productExposure the window was set by a product whose exposure outlasts its administration (a depot, an
 *                     implant, a patch, methadone maintenance), so the card cites where that duration comes from
 */
public record OpioidFreeWindow(Instant lastExposure, Instant closesAt, boolean opioidOngoing, List<Evidence> evidence,
        boolean onFileOnly, boolean textOnly, boolean productExposure) {

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
