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
 * for dispenses and orders; for administrations the end of the product's exposure: a monthly depot 28 days, a weekly
 * one 7, an implant until removal or 182 days, a patch its wear time, a methadone maintenance dose one day), so the
 * window starts when the product's exposure ends, not at the administration. It is followed by
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
        List<MedicationExposure> medications = MedicationExposure.all(timeline, asOf, thresholds,
                DrugClass::isOpioid);
        List<Exposure> exposures = Stream.concat(
                medications.stream()
                        .filter(exposure -> !exposure.onFileOnly())
                        .map(exposure -> fromMedication(exposure, asOf, longActingWindow)),
                timeline.labResults().stream()
                        .filter(result -> result.test() == LabTest.OPIOID_URINE_SCREEN)
                        .filter(LabResult::counts)
                        .filter(LabResult::isPositiveScreen)
                        .filter(result -> !result.effective().isAfter(asOf))
                        .map(this::fromScreen))
                .toList();
        List<MedicationExposure> onFile = medications.stream()
                .filter(MedicationExposure::onFileOnly)
                .filter(exposure -> exposure.ongoingAt(asOf))
                .toList();
        Optional<OpioidFreeWindow> taken = fromTaken(exposures, asOf);
        if (taken.filter(window -> window.isOpenAt(asOf)).isPresent() || onFile.isEmpty()) {
            return taken;
        }
        // Only orders on file, not known to be taken, keep the window open: the rule warns and names them.
        MedicationExposure latest = onFile.stream()
                .max(Comparator.comparing(exposure -> exposure.event().start())).orElseThrow();
        Duration window = latest.event().drugClass() == DrugClass.OPIOID_LONG_ACTING ? longActingWindow
                : thresholds.shortActingOpioidFreeWindow();
        return Optional.of(new OpioidFreeWindow(latest.event().start(), asOf.plus(window), false,
                onFile.stream().map(MedicationExposure::evidence).toList(), true,
                onFile.stream().allMatch(exposure -> exposure.event().textOnly()), false));
    }

    private static Optional<OpioidFreeWindow> fromTaken(List<Exposure> exposures, Instant asOf) {
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
        boolean textOnly = exposures.stream().filter(e -> !e.closesAt().isBefore(asOf)).allMatch(Exposure::textOnly);
        return Optional.of(new OpioidFreeWindow(latest.lastPresent(), closingLast.closesAt(), ongoing,
                List.copyOf(evidence), false, textOnly, closingLast.productExposure() || latest.productExposure()));
    }

    private Exposure fromMedication(MedicationExposure exposure, Instant asOf, Duration longActingWindow) {
        Duration window = exposure.event().drugClass() == DrugClass.OPIOID_LONG_ACTING
                ? longActingWindow
                : thresholds.shortActingOpioidFreeWindow();
        return new Exposure(exposure.lastPresent(), exposure.lastPresent().plus(window), exposure.ongoingAt(asOf),
                exposure.evidence(), exposure.event().textOnly(),
                exposure.event().exposurePerUse().isPresent()
                        && exposure.event().kind() != org.ntx.timeline.MedicationEvent.Kind.ORDER);
    }

    private Exposure fromScreen(LabResult screen) {
        Evidence evidence = new Evidence(screen.source(),
                screen.display() + ", positive, collected " + ClinicalText.date(screen.effective()),
                screen.effective());
        return new Exposure(screen.effective(), screen.effective().plus(thresholds.positiveScreenWindow()), false,
                evidence, false, false);
    }

    private record Exposure(Instant lastPresent, Instant closesAt, boolean ongoing, Evidence evidence,
            boolean textOnly, boolean productExposure) {
    }
}
