package org.ntx.rules;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.ntx.timeline.MedicationEvent;

/**
 * When a medication record says the drug was in the patient's hands, as seen at {@code asOf}. Both the blockade and
 * the opioid-free window read records through this one interpretation.
 *
 * <ul>
 *   <li>Administration: its time (period end for infusions).</li>
 *   <li>Dispense: until the supply runs out (handed over + days' supply), else the dispense date.</li>
 *   <li>Active order: until the later of the expected supply and the validity period; an active order with neither is
 *       open-ended (still current at {@code asOf}), because "active" is all we know.</li>
 *   <li>Other counting orders (completed, stopped, on hold): start + expected supply, else the order date. A stopped
 *       order's remaining supply may still be in hand, so it is not cut short.</li>
 *   <li>Active statement: until its end, else open-ended; completed or stopped statement: its end, else its start.</li>
 * </ul>
 * Records that do not {@linkplain MedicationEvent#counts() count}, or start after {@code asOf}, give no exposure.
 *
 * @param event       the record
 * @param lastPresent the last moment the drug was (or will be) present; may lie after {@code asOf}
 * @param openEnded   no end is recorded, so {@code lastPresent} is just {@code asOf}
 */
record MedicationExposure(MedicationEvent event, Instant lastPresent, boolean openEnded) {

    static Optional<MedicationExposure> of(MedicationEvent event, Instant asOf) {
        if (!event.counts() || event.start().isAfter(asOf)) {
            return Optional.empty();
        }
        return Optional.of(switch (event.kind()) {
            case ADMINISTRATION -> closed(event, event.end().orElse(event.start()));
            case DISPENSE -> closed(event, event.supplyEnd().orElse(event.start()));
            case ORDER -> event.status() == MedicationEvent.Status.ACTIVE
                    ? latestOf(event, Stream.of(event.supplyEnd(), event.end()), asOf)
                    : closed(event, event.supplyEnd().orElse(event.start()));
            case STATEMENT -> event.status() == MedicationEvent.Status.ACTIVE
                    ? latestOf(event, Stream.of(event.end()), asOf)
                    : closed(event, event.end().orElse(event.start()));
        });
    }

    /** The drug is present at {@code asOf} (supply not yet run out, or open-ended). */
    boolean ongoingAt(Instant asOf) {
        return !lastPresent.isBefore(asOf);
    }

    Evidence evidence() {
        return new Evidence(event.source(), ClinicalText.describe(event), event.start());
    }

    private static MedicationExposure closed(MedicationEvent event, Instant lastPresent) {
        return new MedicationExposure(event, lastPresent, false);
    }

    private static MedicationExposure latestOf(MedicationEvent event, Stream<Optional<Instant>> ends, Instant asOf) {
        return ends.flatMap(Optional::stream)
                .max(Instant::compareTo)
                .map(end -> closed(event, end))
                .orElseGet(() -> new MedicationExposure(event, asOf, true));
    }
}
