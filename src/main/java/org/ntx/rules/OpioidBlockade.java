package org.ntx.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

/**
 * Whether exogenous opioids are blocked at an instant, and until when. Used by the blockade-conflict and overdose
 * rules and by the {@code $naltrexone-status} summary, so they never disagree.
 *
 * <ul>
 *   <li>Extended-release naltrexone: blocked for {@link Thresholds#extendedReleaseBlockade()} (28 days, Vivitrol PI
 *       §5.1) from each injection, inclusive; then waning until {@link Thresholds#extendedReleaseWaningEnd()} (day 35,
 *       design choice, REFERENCE.md §1). Every counting record of the injection is taken as an injection on its
 *       start date, because clinic-given injections are often recorded only as a dispense or a completed order.</li>
 *   <li>Oral naltrexone: blocked while supplied (see {@link MedicationExposure}) plus
 *       {@link Thresholds#oralTail(java.util.Optional)} after the last dose by strength (24/48/72 h for 50/100/150 mg,
 *       tablets label Clinical Pharmacology). The end of the supply is taken as the time of the last dose.</li>
 *   <li>Olanzapine/samidorphan and bupropion/naltrexone: blocked while supplied plus
 *       {@link Thresholds#combinationTail()} (24 h, design choice, REFERENCE.md §7).</li>
 * </ul>
 * The blocker that protects longest decides the phase. Records after {@code asOf} are ignored, so a historical
 * {@code asOf} gives the historical answer. Records are read through {@link MedicationExposure}: an old active order
 * nothing supports is only "on file, not known to be taken"; it makes the blockade ACTIVE (on file only) when no taken
 * record blocks now and it was written after the last taken one, and the rules then warn at most.
 */
public final class OpioidBlockade {

    private final Thresholds thresholds;

    public OpioidBlockade(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public BlockadeState asOf(PatientTimeline timeline, Instant asOf) {
        List<Protection> all = MedicationExposure.all(timeline, asOf, thresholds, DrugClass::blocksOpioids).stream()
                .map(this::protection)
                .toList();
        List<Protection> protections = all.stream().filter(p -> !p.exposure().onFileOnly()).toList();
        BlockadeState taken = fromTaken(protections, asOf);
        if (taken.blocksOpioids()) {
            return taken;
        }
        Optional<Instant> lastTaken = protections.stream().map(p -> p.exposure().event().start())
                .max(Comparator.naturalOrder());
        Optional<Protection> onFile = all.stream()
                .filter(p -> p.exposure().onFileOnly())
                .filter(p -> !asOf.isAfter(p.until()))
                .filter(p -> lastTaken.filter(t -> !p.exposure().event().start().isAfter(t)).isEmpty())
                .max(Comparator.comparing(p -> p.exposure().event().start()));
        if (onFile.isPresent()) {
            Protection order = onFile.get();
            return new BlockadeState(BlockadePhase.ACTIVE, Optional.of(order.exposure().event().drugClass()),
                    Optional.of(order.until()), order.exposure().openEnded(), taken.waningUntil(),
                    taken.lastInjection(), List.of(order.exposure().evidence()), Optional.of(order.exposure()));
        }
        return taken;
    }

    private BlockadeState fromTaken(List<Protection> protections, Instant asOf) {
        Optional<Protection> longest = protections.stream().max(Comparator.comparing(Protection::until));
        if (longest.isEmpty()) {
            return BlockadeState.none();
        }
        Optional<MedicationEvent> lastInjection = protections.stream()
                .map(Protection::exposure)
                .map(MedicationExposure::event)
                .filter(event -> event.drugClass() == DrugClass.NALTREXONE_EXTENDED_RELEASE)
                .max(Comparator.comparing(MedicationEvent::start));
        Optional<Instant> waningUntil = lastInjection
                .map(injection -> injection.start().plus(thresholds.extendedReleaseWaningEnd()));

        Protection decisive = longest.get();
        BlockadePhase phase;
        DrugClass formulation = decisive.exposure().event().drugClass();
        List<Evidence> evidence = new ArrayList<>(List.of(decisive.exposure().evidence()));
        if (!asOf.isAfter(decisive.until())) {
            phase = BlockadePhase.ACTIVE;
        } else if (waningUntil.filter(end -> !asOf.isAfter(end)).isPresent()) {
            phase = BlockadePhase.WANING;
            formulation = DrugClass.NALTREXONE_EXTENDED_RELEASE;
            MedicationEvent injection = lastInjection.orElseThrow();
            if (!injection.equals(decisive.exposure().event())) {
                evidence.add(new Evidence(injection.source(), ClinicalText.describe(injection), injection.start()));
            }
        } else {
            phase = BlockadePhase.LAPSED;
        }
        return new BlockadeState(phase, Optional.of(formulation), Optional.of(decisive.until()),
                decisive.exposure().openEnded(), waningUntil, lastInjection.map(MedicationEvent::start), evidence,
                Optional.of(decisive.exposure()));
    }

    private Protection protection(MedicationExposure exposure) {
        MedicationEvent event = exposure.event();
        Instant until = switch (event.drugClass()) {
            case NALTREXONE_EXTENDED_RELEASE -> event.start().plus(thresholds.extendedReleaseBlockade());
            case NALTREXONE_ORAL -> exposure.lastPresent().plus(thresholds.oralTail(event.doseMg()));
            default -> exposure.lastPresent().plus(thresholds.combinationTail());
        };
        return new Protection(exposure, until);
    }

    private record Protection(MedicationExposure exposure, Instant until) {
    }
}
