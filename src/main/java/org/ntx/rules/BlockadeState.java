package org.ntx.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.ntx.timeline.DrugClass;

/**
 * The opioid blockade at one instant, as {@link OpioidBlockade} computed it.
 *
 * @param phase        active, waning, lapsed or none
 * @param formulation  the blocker that defines the phase (the injection while waning); empty when NONE
 * @param activeUntil  end of full blockade: in the future while ACTIVE, the lapse instant when WANING or LAPSED
 * @param openEnded    the blocker is an active order or statement without an end, so {@code activeUntil} is only
 *                     "as of now plus the tail"
 * @param waningUntil  end of the waning band after the last injection, when there was one
 * @param lastInjection the last extended-release injection, when there was one
 * @param evidence     the records that decide the phase
 * @param decisive     the exposure that decides the phase (its strength: taken, or only an order on file; whether it
 *                     was recognised from text only)
 */
public record BlockadeState(
        BlockadePhase phase,
        Optional<DrugClass> formulation,
        Optional<Instant> activeUntil,
        boolean openEnded,
        Optional<Instant> waningUntil,
        Optional<Instant> lastInjection,
        List<Evidence> evidence,
        Optional<MedicationExposure> decisive) {

    public BlockadeState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(formulation, "formulation");
        Objects.requireNonNull(activeUntil, "activeUntil");
        Objects.requireNonNull(waningUntil, "waningUntil");
        Objects.requireNonNull(lastInjection, "lastInjection");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(decisive, "decisive");
        if (phase != BlockadePhase.NONE && (formulation.isEmpty() || activeUntil.isEmpty())) {
            throw new IllegalArgumentException("a blockade in phase " + phase + " needs a formulation and an end");
        }
    }

    static BlockadeState none() {
        return new BlockadeState(BlockadePhase.NONE, Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.empty(), List.of(), Optional.empty());
    }

    /** The blockade rests only on an old active order nothing supports: not known to be taken. */
    public boolean onFileOnly() {
        return decisive.filter(MedicationExposure::onFileOnly).isPresent();
    }

    /** The blockade rests on a record recognised from its text, not its codes. */
    public boolean textOnly() {
        return decisive.filter(exposure -> exposure.event().textOnly()).isPresent();
    }

    /** ACTIVE or WANING: opioids are, or may still be, blocked. */
    public boolean blocksOpioids() {
        return phase == BlockadePhase.ACTIVE || phase == BlockadePhase.WANING;
    }

    /** How long ago full blockade ended; empty while ACTIVE or when there never was one. */
    public Optional<Duration> lapsedFor(Instant asOf) {
        if (phase != BlockadePhase.WANING && phase != BlockadePhase.LAPSED) {
            return Optional.empty();
        }
        return activeUntil.map(until -> Duration.between(until, asOf));
    }
}
