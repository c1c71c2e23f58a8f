package org.ntx.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.PatientTimeline;

/**
 * Reads a timeline for opioid exposure and derives the opioid-free window before an antagonist.
 *
 * <p>Each counting opioid record is an exposure lasting until {@link MedicationExposure#lastPresent()} (end of supply
 * for dispenses and orders, the date for administrations). It is followed by
 * {@link Thresholds#shortActingOpioidFreeWindow()} (7 days) or, for methadone, buprenorphine, extended-release and
 * transdermal opioids, the long-acting window passed in (10 days by default, 14 before olanzapine/samidorphan). A
 * positive opioid urine screen is an exposure on its collection date followed by
 * {@link Thresholds#positiveScreenWindow()}. Sources on {@link Thresholds}.
 */
final class OpioidExposureHistory {

    private final Thresholds thresholds;

    OpioidExposureHistory(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    /** The window, or empty when the record shows no opioid exposure at all. */
    Optional<OpioidFreeWindow> window(PatientTimeline timeline, Instant asOf, Duration longActingWindow) {
        List<Exposure> exposures = Stream.concat(
                timeline.medications().stream()
                        .filter(event -> event.drugClass().isOpioid())
                        .flatMap(event -> MedicationExposure.of(event, asOf).stream())
                        .map(exposure -> fromMedication(exposure, asOf, longActingWindow)),
                timeline.labResults().stream()
                        .filter(result -> result.test() == LabTest.OPIOID_URINE_SCREEN)
                        .filter(LabResult::counts)
                        .filter(LabResult::isPositiveScreen)
                        .filter(result -> !result.effective().isAfter(asOf))
                        .map(this::fromScreen))
                .toList();
        if (exposures.isEmpty()) {
            return Optional.empty();
        }
        Exposure latest = exposures.stream().max(Comparator.comparing(Exposure::lastPresent)).orElseThrow();
        Exposure closingLast = exposures.stream().max(Comparator.comparing(Exposure::closesAt)).orElseThrow();
        Set<Evidence> evidence = new LinkedHashSet<>();
        evidence.add(closingLast.evidence());
        evidence.add(latest.evidence());
        exposures.stream().filter(Exposure::ongoing).map(Exposure::evidence).forEach(evidence::add);
        boolean ongoing = exposures.stream().anyMatch(Exposure::ongoing);
        return Optional.of(new OpioidFreeWindow(latest.lastPresent(), closingLast.closesAt(), ongoing,
                List.copyOf(evidence)));
    }

    private Exposure fromMedication(MedicationExposure exposure, Instant asOf, Duration longActingWindow) {
        Duration window = exposure.event().drugClass() == DrugClass.OPIOID_LONG_ACTING
                ? longActingWindow
                : thresholds.shortActingOpioidFreeWindow();
        return new Exposure(exposure.lastPresent(), exposure.lastPresent().plus(window), exposure.ongoingAt(asOf),
                exposure.evidence());
    }

    private Exposure fromScreen(LabResult screen) {
        Evidence evidence = new Evidence(screen.source(),
                screen.display() + ", positive, collected " + ClinicalText.date(screen.effective()),
                screen.effective());
        return new Exposure(screen.effective(), screen.effective().plus(thresholds.positiveScreenWindow()), false,
                evidence);
    }

    private record Exposure(Instant lastPresent, Instant closesAt, boolean ongoing, Evidence evidence) {
    }
}
