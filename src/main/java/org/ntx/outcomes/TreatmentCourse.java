package org.ntx.outcomes;

import org.ntx.rules.MedicationExposure;
import org.ntx.rules.OpioidBlockade;
import org.ntx.rules.Thresholds;
import org.ntx.timeline.ConditionClass;
import org.ntx.timeline.ConditionRecord;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A patient's naltrexone treatment course read from the timeline: when it started, how long coverage was
 * continuous, and the events during it. Pure: the same timeline, {@code asOf} and definitions always give the same
 * outcome.
 *
 * <p>Records are read through the rules' one interpretation, {@link MedicationExposure} (the CDS cards read them the
 * same way): which records count, how long each one's drug is present, and whether an active order is still evidence
 * of use or only an order on file, not known to be taken (which covers nothing here). Coverage: each injection covers
 * 28 days; each oral dispense from its date to the end of its exposure (its days' supply, 30 days when it states
 * none), carried over when refilled early; oral orders count only for courses without any dispense, over their
 * exposure (supply with every refill, or validity period; an active order stating neither until the evaluation date,
 * for as long as the order counts as taken). Covered periods separated by no more than the grace period (7 days) are
 * continuous. Retention at day N means continuous coverage from the start reached start + N.
 */
public final class TreatmentCourse {

    private final OutcomeDefinitions definitions;
    private final OpioidBlockade blockade;
    private final Thresholds thresholds;

    public TreatmentCourse(OutcomeDefinitions definitions, Thresholds thresholds) {
        this.definitions = definitions;
        this.thresholds = thresholds;
        this.blockade = new OpioidBlockade(thresholds);
    }

    /** The outcome of the patient's first naltrexone course, or empty if the patient never had naltrexone. */
    public Optional<PatientOutcome> outcome(PatientTimeline timeline, Instant asOf) {
        return outcome(timeline, FollowUpRecord.none(), asOf);
    }

    /**
     * Records at one instant are taken in a fixed order, whatever order the store returned them in (C1): an
     * administration, then a dispense, then an order, then by resource id. The Spark job sorts the same way.
     */
    static final Comparator<MedicationEvent> RECORD_ORDER = Comparator.comparing(MedicationEvent::start)
            .thenComparing(e -> kindRank(e.kind()))
            .thenComparing(e -> e.source().id());

    static int kindRank(MedicationEvent.Kind kind) {
        return switch (kind) {
            case ADMINISTRATION -> 1;
            case DISPENSE -> 2;
            case ORDER -> 3;
            case STATEMENT -> 4;
        };
    }

    /** The outcome with follow-up (death, transfer out) and the time-to-event measures. */
    public Optional<PatientOutcome> outcome(PatientTimeline timeline, FollowUpRecord followUp, Instant asOf) {
        List<MedicationEvent> naltrexone = timeline.medications().stream()
                .filter(MedicationEvent::counts)
                .filter(e -> e.kind() != MedicationEvent.Kind.STATEMENT)
                .filter(e -> isNaltrexone(e.drugClass()))
                .filter(e -> !e.start().isAfter(asOf))
                .sorted(RECORD_ORDER)
                .toList();
        if (naltrexone.isEmpty()) {
            return Optional.empty();
        }
        MedicationEvent first = naltrexone.get(0);
        Instant start = first.start();
        PatientOutcome.Formulation formulation = first.drugClass() == DrugClass.NALTREXONE_EXTENDED_RELEASE
                ? PatientOutcome.Formulation.INJECTION : PatientOutcome.Formulation.ORAL;
        List<Interval> covered = coverage(naltrexone, timeline, asOf);
        Instant coverageEnd = continuousEnd(covered, start);

        Map<Integer, Optional<Boolean>> retained = new LinkedHashMap<>();
        for (int days : definitions.retentionDays()) {
            Instant point = start.plus(Duration.ofDays(days));
            retained.put(days, point.isAfter(asOf) ? Optional.empty() : Optional.of(!coverageEnd.isBefore(point)));
        }

        List<Instant> injections = naltrexone.stream()
                .filter(e -> e.drugClass() == DrugClass.NALTREXONE_EXTENDED_RELEASE)
                .filter(e -> e.kind() == MedicationEvent.Kind.ADMINISTRATION)
                .map(MedicationEvent::start).distinct().sorted().toList();
        int onTime = 0;
        int late = 0;
        List<Long> intervalDays = new ArrayList<>();
        for (int i = 1; i < injections.size(); i++) {
            Duration interval = Duration.between(injections.get(i - 1), injections.get(i));
            intervalDays.add(interval.toDays());
            if (interval.compareTo(definitions.onTimeInjectionInterval()) <= 0) {
                onTime++;
            } else {
                late++;
            }
        }

        Optional<Double> pdc = formulation == PatientOutcome.Formulation.ORAL
                ? proportionOfDaysCovered(covered, start, asOf)
                : Optional.empty();

        Instant treatmentEnd = coverageEnd.isAfter(asOf) ? asOf : coverageEnd;
        long followedDays = Math.max(0, Duration.between(start, asOf).toDays());
        PatientOutcome.Indication indication = indication(timeline);
        return Optional.of(new PatientOutcome(timeline.patientId(), start, formulation, indication,
                coverageEnd, retained, onTime, late, intervalDays, pdc,
                firstRelapseSignal(timeline, start, treatmentEnd),
                flaggedOpioidOrders(timeline, start, asOf),
                firstLiverElevation(timeline, start, treatmentEnd),
                firstOverdose(timeline, start, min(asOf, coverageEnd.plus(definitions.overdoseFollowUp()))),
                followedDays, Math.min(followedDays, Math.max(0, Duration.between(start, coverageEnd).toDays())),
                times(timeline, naltrexone, followUp, asOf, start, coverageEnd, indication)));
    }

    /** Follow-up (S1), induction (S3, M8), relapse-free survival (S4) and continuity (M9). */
    private CourseTimes times(PatientTimeline timeline, List<MedicationEvent> naltrexone, FollowUpRecord followUp,
                              Instant asOf, Instant start, Instant coverageEnd, PatientOutcome.Indication indication) {
        Instant end = asOf;
        CourseTimes.FollowUpEnd endedBy = CourseTimes.FollowUpEnd.END_OF_STUDY;
        Optional<Instant> transfer = followUp.transfersOut().stream().filter(t -> !t.isBefore(start))
                .min(Comparator.naturalOrder());
        if (followUp.death().filter(death -> !death.isAfter(asOf)).isPresent()) {
            end = followUp.death().get();
        }
        if (transfer.filter(t -> t.isBefore(asOf)).isPresent() && transfer.get().isBefore(end)) {
            end = transfer.get();
        }
        Instant followUpEnd = end;
        if (followUp.death().filter(death -> !death.isAfter(followUpEnd)).isPresent()) {
            endedBy = CourseTimes.FollowUpEnd.DEATH;
        } else if (transfer.filter(t -> !t.isAfter(followUpEnd)).isPresent()) {
            endedBy = CourseTimes.FollowUpEnd.TRANSFER_OUT;
        }

        Optional<Instant> firstOrder = naltrexone.stream().filter(e -> e.kind() == MedicationEvent.Kind.ORDER)
                .map(MedicationEvent::start).min(Comparator.naturalOrder());
        boolean startsWithOrder = firstOrder.filter(start::equals).isPresent();
        Optional<Instant> firstDose = naltrexone.stream()
                .filter(e -> e.kind() == MedicationEvent.Kind.ADMINISTRATION || e.kind() == MedicationEvent.Kind.DISPENSE)
                .map(MedicationEvent::start).min(Comparator.naturalOrder());

        Optional<Instant> relapse = firstDose.flatMap(dose -> {
            List<Instant> events = new ArrayList<>();
            firstRelapseSignal(timeline, dose, followUpEnd).ifPresent(events::add);
            firstOverdose(timeline, dose, followUpEnd).ifPresent(events::add);
            return events.stream().min(Comparator.naturalOrder());
        });

        Duration window = definitions.inductionWindow();
        Optional<Boolean> inducted = Optional.empty();
        if (startsWithOrder) {
            if (firstDose.filter(dose -> Duration.between(start, dose).compareTo(window) <= 0).isPresent()) {
                inducted = Optional.of(true);
            } else if (!followUpEnd.isBefore(start.plus(window))) {
                inducted = Optional.of(false);
            }
        }

        Instant continuityEnd = start.plus(definitions.continuity());
        boolean adult = followUp.birthDate().map(birth -> !birth.plusYears(definitions.continuityMinimumAge())
                .isAfter(start.atZone(java.time.ZoneOffset.UTC).toLocalDate())).orElse(true);
        Optional<Boolean> continuity = indication == PatientOutcome.Indication.OUD && adult
                && !continuityEnd.isAfter(followUpEnd)
                ? Optional.of(!coverageEnd.isBefore(continuityEnd)) : Optional.empty();

        return new CourseTimes(followUpEnd, endedBy, definitions.coverageGrace(), startsWithOrder, firstDose,
                relapse, inducted, continuity);
    }

    private static boolean isNaltrexone(DrugClass drugClass) {
        return drugClass == DrugClass.NALTREXONE_ORAL || drugClass == DrugClass.NALTREXONE_EXTENDED_RELEASE;
    }

    record Interval(Instant from, Instant to) {}

    /**
     * Covered periods: injections cover the blockade period; oral dispenses their supply, starting when the previous
     * supply runs out if refilled early. Orders count only for oral courses without any dispense on record.
     */
    private List<Interval> coverage(List<MedicationEvent> naltrexone, PatientTimeline timeline, Instant asOf) {
        boolean oralDispenses = naltrexone.stream().anyMatch(e -> e.drugClass() == DrugClass.NALTREXONE_ORAL
                && e.kind() == MedicationEvent.Kind.DISPENSE);
        java.util.Map<MedicationEvent, MedicationExposure> exposures = new java.util.IdentityHashMap<>();
        MedicationExposure.all(timeline, asOf, thresholds, TreatmentCourse::isNaltrexone)
                .forEach(exposure -> exposures.put(exposure.event(), exposure));
        List<Interval> intervals = new ArrayList<>();
        Instant oralSupplyEnd = Instant.MIN;
        for (MedicationEvent event : naltrexone) {
            MedicationExposure exposure = exposures.get(event);
            if (exposure == null || exposure.onFileOnly()) {
                continue;
            }
            if (event.drugClass() == DrugClass.NALTREXONE_EXTENDED_RELEASE) {
                if (event.kind() != MedicationEvent.Kind.ORDER) {
                    intervals.add(new Interval(event.start(), event.start().plus(definitions.injectionBlockade())));
                }
            } else if (event.kind() == MedicationEvent.Kind.DISPENSE
                    || (event.kind() == MedicationEvent.Kind.ORDER && !oralDispenses)) {
                Instant from = event.start().isAfter(oralSupplyEnd) ? event.start() : oralSupplyEnd;
                Duration supply = Duration.between(event.start(), exposure.lastPresent());
                oralSupplyEnd = from.plus(supply);
                intervals.add(new Interval(from, oralSupplyEnd));
            }
        }
        intervals.sort(Comparator.comparing(Interval::from));
        return intervals;
    }

    /** The end of the continuous block of coverage that begins at the start. */
    private Instant continuousEnd(List<Interval> intervals, Instant start) {
        Instant end = start;
        for (Interval interval : intervals) {
            if (!interval.from().isAfter(end.plus(definitions.coverageGrace()))) {
                end = interval.to().isAfter(end) ? interval.to() : end;
            } else {
                break;
            }
        }
        return end;
    }

    private Optional<Double> proportionOfDaysCovered(List<Interval> intervals, Instant start, Instant asOf) {
        Instant windowEnd = min(asOf, start.plus(definitions.pdcWindow()));
        long windowDays = Duration.between(start, windowEnd).toDays();
        if (windowDays <= 0) {
            return Optional.empty();
        }
        long coveredDays = 0;
        for (long day = 0; day < windowDays; day++) {
            Instant noon = start.plus(Duration.ofDays(day)).plus(Duration.ofHours(12));
            if (intervals.stream().anyMatch(i -> !noon.isBefore(i.from()) && noon.isBefore(i.to()))) {
                coveredDays++;
            }
        }
        return Optional.of((double) coveredDays / windowDays);
    }

    private static PatientOutcome.Indication indication(PatientTimeline timeline) {
        boolean oud = hasDiagnosis(timeline, ConditionClass.OPIOID_USE_DISORDER);
        if (oud) {
            return PatientOutcome.Indication.OUD;
        }
        return hasDiagnosis(timeline, ConditionClass.ALCOHOL_USE_DISORDER)
                ? PatientOutcome.Indication.AUD : PatientOutcome.Indication.UNKNOWN;
    }

    private static boolean hasDiagnosis(PatientTimeline timeline, ConditionClass diagnosis) {
        return timeline.conditions().stream()
                .filter(c -> c.conditionClass() == diagnosis)
                .anyMatch(c -> c.verification() != ConditionRecord.Verification.REFUTED
                        && c.verification() != ConditionRecord.Verification.ENTERED_IN_ERROR);
    }

    /** A positive opioid urine screen, or an opioid dispensed or administered, while in treatment. */
    private static Optional<Instant> firstRelapseSignal(PatientTimeline timeline, Instant from, Instant to) {
        List<Instant> signals = new ArrayList<>();
        timeline.labResults().stream()
                .filter(LabResult::counts).filter(LabResult::isPositiveScreen)
                .filter(r -> r.test() == LabTest.OPIOID_URINE_SCREEN)
                .map(LabResult::effective).forEach(signals::add);
        timeline.medications().stream()
                .filter(MedicationEvent::counts)
                .filter(e -> e.drugClass().isOpioid())
                .filter(e -> e.kind() == MedicationEvent.Kind.DISPENSE || e.kind() == MedicationEvent.Kind.ADMINISTRATION)
                .map(MedicationEvent::start).forEach(signals::add);
        return signals.stream().filter(t -> within(t, from, to)).min(Comparator.naturalOrder());
    }

    /** Opioid orders written while naltrexone blocked opioids: the situation the blockade-conflict card is for. */
    private int flaggedOpioidOrders(PatientTimeline timeline, Instant from, Instant asOf) {
        return (int) timeline.medications().stream()
                .filter(MedicationEvent::counts)
                .filter(e -> e.kind() == MedicationEvent.Kind.ORDER && e.drugClass().isOpioid())
                .filter(e -> within(e.start(), from, asOf))
                .filter(e -> blockade.asOf(timeline, e.start()).blocksOpioids())
                .count();
    }

    private Optional<Instant> firstLiverElevation(PatientTimeline timeline, Instant from, Instant to) {
        return timeline.labResults().stream()
                .filter(LabResult::counts)
                .filter(r -> r.test() == LabTest.ALT || r.test() == LabTest.AST)
                .filter(r -> within(r.effective(), from, to))
                .filter(this::elevated)
                .map(LabResult::effective)
                .min(Comparator.naturalOrder());
    }

    private boolean elevated(LabResult result) {
        if (result.value().isEmpty()) {
            return false;
        }
        BigDecimal upperLimit = result.upperLimit().orElse(result.test() == LabTest.ALT
                ? thresholds.defaultAltUpperLimit() : thresholds.defaultAstUpperLimit());
        if (upperLimit.signum() <= 0) {
            return false;
        }
        return result.value().get().divide(upperLimit, 4, RoundingMode.HALF_UP)
                .compareTo(definitions.liverElevation()) > 0;
    }

    /** Naloxone or nalmefene administered, or an overdose diagnosis, during treatment or the follow-up after it. */
    private static Optional<Instant> firstOverdose(PatientTimeline timeline, Instant from, Instant to) {
        List<Instant> events = new ArrayList<>();
        timeline.medications().stream()
                .filter(MedicationEvent::counts)
                .filter(e -> e.drugClass() == DrugClass.OPIOID_REVERSAL_AGENT)
                .filter(e -> e.kind() == MedicationEvent.Kind.ADMINISTRATION)
                .map(MedicationEvent::start).forEach(events::add);
        timeline.conditions().stream()
                .filter(c -> c.conditionClass() == ConditionClass.OPIOID_OVERDOSE)
                .filter(c -> c.verification() != ConditionRecord.Verification.REFUTED
                        && c.verification() != ConditionRecord.Verification.ENTERED_IN_ERROR)
                .flatMap(c -> c.onset().stream()).forEach(events::add);
        return events.stream().filter(t -> within(t, from, to)).min(Comparator.naturalOrder());
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
