package org.ntx.rules;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

/**
 * When a medication record says the drug was in the patient's hands, as seen at {@code asOf}, and how strong that
 * evidence is. The blockade, the opioid-free window and the research outcomes all read records through this one
 * interpretation ({@link #all}).
 *
 * <ul>
 *   <li>Administration: until its period end when one is recorded (an implant's removal, an infusion's end), else its
 *       time plus how long one administration of the product lasts (terminology data: a monthly buprenorphine depot 28
 *       days, the weekly one 7, the buprenorphine implant 182 days until removal, a 72-hour patch 3 days, a methadone
 *       maintenance dose 1 day), else its time.</li>
 *   <li>Dispense: until the supply runs out (handed over + days' supply), at least one use of the product. A
 *       dispense of an oral blocker that states no supply is read as {@link #ASSUMED_TABLET_SUPPLY} (30 days; design
 *       choice: US naltrexone tablets come in bottles of 30, openFDA NDC records, and 50 mg daily is the labelled
 *       dose), the same figure the outcome measures used before they read records through this class.</li>
 *   <li>Active order: until the later of the supply (with every refill it allows) and the validity period; an active
 *       order with neither is open-ended (still current at {@code asOf}), because "active" is all we know.</li>
 *   <li>Other counting orders (completed, stopped, on hold): start + expected supply, else the order date. A stopped
 *       order's remaining supply may still be in hand, so it is not cut short.</li>
 *   <li>Active statement: until its end, else open-ended; completed or stopped statement: its end, else its start.</li>
 * </ul>
 * <b>Evidence strength</b> ({@link Thresholds#orderOnFileAfter()}, design choice): an active order is evidence of the
 * drug being taken for 90 days after it was written, or after the latest dispense, administration or statement of the
 * same drug that followed it. Once that is over, an active order that still claims to reach today is
 * {@linkplain Strength#ON_FILE on file, not known to be taken}: the rules give it warnings at most and name its date.
 * Records that do not {@linkplain MedicationEvent#counts() count}, or start after {@code asOf}, give no exposure.
 *
 * @param event       the record
 * @param lastPresent the last moment the drug was (or will be) present; may lie after {@code asOf}
 * @param openEnded   no end is recorded, so {@code lastPresent} is just {@code asOf}
 * @param strength    taken, or an order merely on file
 */
public record MedicationExposure(MedicationEvent event, Instant lastPresent, boolean openEnded, Strength strength) {

    /** Supply assumed for a dispense of oral naltrexone or a combination blocker that states none. */
    public static final java.time.Duration ASSUMED_TABLET_SUPPLY = java.time.Duration.ofDays(30);

    /** How well the record shows the drug is (or was) actually taken. */
    public enum Strength {
        /** Given, dispensed, reported, or ordered recently enough (or supported by one of those). */
        TAKEN,
        /** An old active order nothing since supports: on file, not known to be taken. */
        ON_FILE
    }

    /** Every counting medication record of the timeline whose drug class passes {@code filter}, read at {@code asOf}. */
    public static List<MedicationExposure> all(PatientTimeline timeline, Instant asOf, Thresholds thresholds,
            java.util.function.Predicate<DrugClass> filter) {
        return timeline.medications().stream()
                .filter(event -> filter.test(event.drugClass()))
                .flatMap(event -> of(event, timeline, asOf, thresholds).stream())
                .toList();
    }

    static Optional<MedicationExposure> of(MedicationEvent event, PatientTimeline timeline, Instant asOf,
            Thresholds thresholds) {
        if (!event.counts() || event.start().isAfter(asOf)) {
            return Optional.empty();
        }
        return Optional.of(switch (event.kind()) {
            case ADMINISTRATION -> closed(event, event.end().filter(end -> end.isAfter(event.start()))
                    .orElseGet(() -> oneUse(event)));
            case DISPENSE -> closed(event, latest(event.supplyEnd().orElseGet(() -> assumedSupply(event)),
                    oneUse(event)));
            case ORDER -> event.status() == MedicationEvent.Status.ACTIVE
                    ? weighed(latestOf(event, Stream.of(event.supplyEnd(), event.end()), asOf), timeline, asOf,
                            thresholds)
                    : closed(event, event.supplyEnd().orElse(event.start()));
            case STATEMENT -> event.status() == MedicationEvent.Status.ACTIVE
                    ? latestOf(event, Stream.of(event.end()), asOf)
                    : closed(event, event.end().orElse(event.start()));
        });
    }

    /** The drug is present at {@code asOf} (supply not yet run out, or open-ended). */
    public boolean ongoingAt(Instant asOf) {
        return !lastPresent.isBefore(asOf);
    }

    public boolean onFileOnly() {
        return strength == Strength.ON_FILE;
    }

    Evidence evidence() {
        String description = ClinicalText.describe(event);
        if (onFileOnly()) {
            description += "; order on file since " + ClinicalText.date(event.start())
                    + ", no dispense, administration or report since: not known to be taken";
        }
        if (event.textOnly()) {
            description += " (recognised from its text, not its codes)";
        }
        return new Evidence(event.source(), description, event.start());
    }

    /** An active order's evidence weighed against what supports it ({@link Thresholds#orderOnFileAfter()}). */
    private static MedicationExposure weighed(MedicationExposure order, PatientTimeline timeline, Instant asOf,
            Thresholds thresholds) {
        MedicationEvent event = order.event();
        Instant supported = timeline.medications().stream()
                .filter(other -> other.kind() != MedicationEvent.Kind.ORDER)
                .filter(MedicationEvent::counts)
                .filter(other -> sameDrug(event.drugClass(), other.drugClass()))
                .map(MedicationEvent::start)
                .filter(start -> !start.isBefore(event.start()) && !start.isAfter(asOf))
                .max(Comparator.naturalOrder())
                .orElse(event.start());
        Instant takenUntil = supported.plus(thresholds.orderOnFileAfter());
        if (!asOf.isAfter(takenUntil) || !order.lastPresent().isAfter(takenUntil)) {
            return order;
        }
        return new MedicationExposure(event, order.lastPresent(), order.openEnded(), Strength.ON_FILE);
    }

    private static boolean sameDrug(DrugClass order, DrugClass other) {
        return order == other || (order.isOpioid() && other.isOpioid());
    }

    private static Instant assumedSupply(MedicationEvent event) {
        boolean tablets = event.drugClass().blocksOpioids()
                && event.drugClass() != DrugClass.NALTREXONE_EXTENDED_RELEASE;
        return tablets ? event.start().plus(ASSUMED_TABLET_SUPPLY) : event.start();
    }

    private static Instant oneUse(MedicationEvent event) {
        return event.exposurePerUse().map(event.start()::plus).orElse(event.start());
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static MedicationExposure closed(MedicationEvent event, Instant lastPresent) {
        return new MedicationExposure(event, lastPresent, false, Strength.TAKEN);
    }

    private static MedicationExposure latestOf(MedicationEvent event, Stream<Optional<Instant>> ends, Instant asOf) {
        return ends.flatMap(Optional::stream)
                .max(Instant::compareTo)
                .map(end -> closed(event, end))
                .orElseGet(() -> new MedicationExposure(event, asOf, true, Strength.TAKEN));
    }
}
