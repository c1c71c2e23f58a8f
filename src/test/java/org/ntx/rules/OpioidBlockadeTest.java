package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.PatientTimeline;

class OpioidBlockadeTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final TimelineNotation notation = new TimelineNotation();
    private final OpioidBlockade blockade = new OpioidBlockade(Thresholds.defaults());

    @Test
    void blocksUpToAndIncludingTheTwentyEighthDayAfterAnInjection() {
        PatientTimeline timeline = notation.timeline("xr-naltrexone given@-28");
        Instant injection = notation.day(-28);

        BlockadeState onDay28 = blockade.asOf(timeline, injection.plus(Duration.ofDays(28)));
        BlockadeState justAfter = blockade.asOf(timeline, injection.plus(Duration.ofDays(28)).plus(ONE_SECOND));

        assertThat(onDay28.phase()).isEqualTo(BlockadePhase.ACTIVE);
        assertThat(onDay28.activeUntil()).contains(injection.plus(Duration.ofDays(28)));
        assertThat(onDay28.formulation()).contains(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(justAfter.phase()).isEqualTo(BlockadePhase.WANING);
    }

    @Test
    void wanesUpToAndIncludingDayThirtyFiveThenLapses() {
        PatientTimeline timeline = notation.timeline("xr-naltrexone given@-35");
        Instant injection = notation.day(-35);

        BlockadeState onDay35 = blockade.asOf(timeline, injection.plus(Duration.ofDays(35)));
        BlockadeState justAfter = blockade.asOf(timeline, injection.plus(Duration.ofDays(35)).plus(ONE_SECOND));

        assertThat(onDay35.phase()).isEqualTo(BlockadePhase.WANING);
        assertThat(onDay35.waningUntil()).contains(injection.plus(Duration.ofDays(35)));
        assertThat(onDay35.lapsedFor(injection.plus(Duration.ofDays(35)))).contains(Duration.ofDays(7));
        assertThat(justAfter.phase()).isEqualTo(BlockadePhase.LAPSED);
        assertThat(justAfter.blocksOpioids()).isFalse();
    }

    @ParameterizedTest(name = "last oral dose {0} mg blocks for {1} h")
    @CsvSource({
        "'', 24",
        "25, 24",
        "50, 24",
        "100, 48",
        "150, 72",
        "300, 72"
    })
    void blocksAfterTheLastOralDoseForTheTailOfItsStrength(String dose, long hours) {
        String strength = dose.isEmpty() ? "" : " " + dose + "mg";
        PatientTimeline timeline = notation.timeline("naltrexone dispensed@-30 30d" + strength);
        Instant lastDose = notation.day(0);

        BlockadeState state = blockade.asOf(timeline, lastDose);
        Instant tailEnd = lastDose.plus(Duration.ofHours(hours));

        assertThat(state.activeUntil()).contains(tailEnd);
        assertThat(blockade.asOf(timeline, tailEnd).phase()).isEqualTo(BlockadePhase.ACTIVE);
        assertThat(blockade.asOf(timeline, tailEnd.plus(ONE_SECOND)).phase()).isEqualTo(BlockadePhase.LAPSED);
    }

    @Test
    void givesNoWaningBandAfterOralNaltrexone() {
        PatientTimeline timeline = notation.timeline("naltrexone dispensed@-32 30d");

        BlockadeState state = blockade.asOf(timeline, notation.day(0));

        assertThat(state.phase()).isEqualTo(BlockadePhase.LAPSED);
        assertThat(state.waningUntil()).isEmpty();
        assertThat(state.lapsedFor(notation.day(0))).contains(Duration.ofDays(1));
    }

    @Test
    void blocksForADayAfterOlanzapineSamidorphanSupplyEnds() {
        PatientTimeline timeline = notation.timeline("olanzapine-samidorphan dispensed@-30 30d");

        BlockadeState state = blockade.asOf(timeline, notation.day(0));

        assertThat(state.phase()).isEqualTo(BlockadePhase.ACTIVE);
        assertThat(state.formulation()).contains(DrugClass.SAMIDORPHAN_COMBINATION);
        assertThat(state.activeUntil()).contains(notation.day(1));
    }

    @Test
    void treatsAnActiveOralOrderWithoutSupplyAsOpenEnded() {
        BlockadeState state = blockade.asOf(notation.timeline("naltrexone ordered@-90"), notation.day(0));

        assertThat(state.phase()).isEqualTo(BlockadePhase.ACTIVE);
        assertThat(state.openEnded()).isTrue();
    }

    @Test
    void quotesTheInjectionThatDecidesTheBlockadeAsEvidence() {
        PatientTimeline timeline = notation.timeline("xr-naltrexone given@-60; xr-naltrexone given@-9");

        BlockadeState state = blockade.asOf(timeline, notation.day(0));

        assertThat(state.lastInjection()).contains(notation.day(-9));
        assertThat(state.evidence()).singleElement()
                .satisfies(evidence -> assertThat(evidence.effective()).isEqualTo(notation.day(-9)))
                .satisfies(evidence -> assertThat(evidence.source().resourceType())
                        .isEqualTo("MedicationAdministration"));
    }

    @Test
    void ignoresAnInjectionGivenAfterTheInstantAskedAbout() {
        PatientTimeline timeline = notation.timeline("xr-naltrexone given@-40; xr-naltrexone given@-5");

        BlockadeState tenDaysAgo = blockade.asOf(timeline, notation.day(-10));

        assertThat(tenDaysAgo.phase()).isEqualTo(BlockadePhase.WANING);
        assertThat(tenDaysAgo.lastInjection()).contains(notation.day(-40));
    }

    @Test
    void reportsNoBlockadeForAPatientNeverOnABlocker() {
        BlockadeState state = blockade.asOf(notation.timeline("oxycodone dispensed@-3 5d"), notation.day(0));

        assertThat(state.phase()).isEqualTo(BlockadePhase.NONE);
        assertThat(state.formulation()).isEmpty();
        assertThat(state.lapsedFor(notation.day(0))).isEmpty();
    }
}
