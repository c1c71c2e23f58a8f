package org.ntx.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.PatientTimeline;
import org.ntx.timeline.DataKind;

/**
 * The patient's naltrexone treatment at a glance, for the {@code $naltrexone-status} operation and the patient-view
 * status card. Computed by the same classes the rules use, so the two never disagree.
 *
 * @param patientId          the Patient
 * @param asOf               the instant it describes
 * @param blockade           phase, formulation, active/waning until when, last injection, evidence
 * @param nextInjectionDue   last injection + {@link Thresholds#injectionInterval()} (28 days), when there was one
 * @param opioidFreeWindow   last opioid exposure and when the opioid-free window (for the long-acting window
 *                           configured) closes; empty when no opioid exposure is on record
 * @param latestLiverResults latest ALT, AST, total bilirubin, ALP, GGT, each against its ULN where one applies
 * @param unavailable        data kinds that could not be fetched, so the fields above may be incomplete
 */
public record NaltrexoneStatus(
        String patientId,
        Instant asOf,
        BlockadeState blockade,
        Optional<Instant> nextInjectionDue,
        Optional<OpioidFreeWindow> opioidFreeWindow,
        List<LiverResult> latestLiverResults,
        Set<DataKind> unavailable) {

    public NaltrexoneStatus {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(blockade, "blockade");
        Objects.requireNonNull(nextInjectionDue, "nextInjectionDue");
        Objects.requireNonNull(opioidFreeWindow, "opioidFreeWindow");
        latestLiverResults = List.copyOf(latestLiverResults);
        unavailable = Set.copyOf(unavailable);
    }

    /** Pure: the same timeline, instant and thresholds always give the same status. */
    public static NaltrexoneStatus of(PatientTimeline timeline, Instant asOf, Thresholds thresholds) {
        BlockadeState blockade = new OpioidBlockade(thresholds).asOf(timeline, asOf);
        return new NaltrexoneStatus(
                timeline.patientId(),
                asOf,
                blockade,
                blockade.lastInjection().map(injection -> injection.plus(thresholds.injectionInterval())),
                new OpioidExposureHistory(thresholds).window(timeline, asOf, thresholds.longActingOpioidFreeWindow()),
                new LiverTestResults(thresholds).latestReported(timeline, asOf),
                timeline.unavailable());
    }

    /** Whether there is anything about naltrexone to report: a blocker is on record. */
    public boolean everOnBlocker() {
        return blockade.phase() != BlockadePhase.NONE;
    }
}
