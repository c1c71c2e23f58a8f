package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.PatientTimeline;

class NaltrexoneStatusTest {

    private final TimelineNotation notation = new TimelineNotation();

    @Test
    void summarisesAPatientNineDaysAfterAnInjection() {
        PatientTimeline timeline = notation.timeline(
                "xr-naltrexone given@-9; oxycodone dispensed@-20 5d; ALT@-9=80/40; AST@-9=30; bilirubin@-9=0.6");

        NaltrexoneStatus status = NaltrexoneStatus.of(timeline, TimelineNotation.AS_OF, Thresholds.defaults());

        assertThat(status.patientId()).isEqualTo(TimelineNotation.PATIENT);
        assertThat(status.blockade().phase()).isEqualTo(BlockadePhase.ACTIVE);
        assertThat(status.blockade().formulation()).contains(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(status.blockade().activeUntil()).contains(notation.day(19));
        assertThat(status.nextInjectionDue()).contains(notation.day(19));
        assertThat(status.opioidFreeWindow()).hasValueSatisfying(window -> {
            assertThat(window.lastExposure()).isEqualTo(notation.day(-15));
            assertThat(window.closesAt()).isEqualTo(notation.day(-8));
            assertThat(window.isOpenAt(TimelineNotation.AS_OF)).isFalse();
            assertThat(window.opioidOngoing()).isFalse();
        });
        assertThat(status.latestLiverResults()).extracting(LiverResult::test)
                .containsExactly(LabTest.ALT, LabTest.AST, LabTest.TOTAL_BILIRUBIN);
        LiverResult alt = status.latestLiverResults().get(0);
        assertThat(alt.multipleOfUpperLimit()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("2.00"));
        assertThat(alt.upperLimitFromResult()).isTrue();
        LiverResult ast = status.latestLiverResults().get(1);
        assertThat(ast.multipleOfUpperLimit()).hasValueSatisfying(m -> assertThat(m).isEqualByComparingTo("0.75"));
        assertThat(ast.upperLimitFromResult()).isFalse();
        assertThat(status.latestLiverResults().get(2).multipleOfUpperLimit())
                .as("no default ULN for bilirubin").isEmpty();
    }

    @Test
    void reportsWhenTheWindowAfterMethadoneClosesForTheConfiguredLength() {
        // A methadone maintenance dose lasts a day: the window counts from day -4.
        PatientTimeline timeline = notation.timeline("methadone given@-5");

        NaltrexoneStatus tenDays = NaltrexoneStatus.of(timeline, TimelineNotation.AS_OF, Thresholds.defaults());
        NaltrexoneStatus fourteenDays = NaltrexoneStatus.of(timeline, TimelineNotation.AS_OF,
                Thresholds.defaults().withLongActingOpioidFreeWindow(Duration.ofDays(14)));

        assertThat(tenDays.opioidFreeWindow().orElseThrow().closesAt()).isEqualTo(notation.day(6));
        assertThat(fourteenDays.opioidFreeWindow().orElseThrow().closesAt()).isEqualTo(notation.day(10));
    }

    @Test
    void saysNothingAboutNaltrexoneForAPatientNeverOnIt() {
        NaltrexoneStatus status = NaltrexoneStatus.of(notation.timeline("ALT@-9=30/40"), TimelineNotation.AS_OF,
                Thresholds.defaults());

        assertThat(status.everOnBlocker()).isFalse();
        assertThat(status.blockade().phase()).isEqualTo(BlockadePhase.NONE);
        assertThat(status.nextInjectionDue()).isEmpty();
        assertThat(status.opioidFreeWindow()).isEmpty();
        assertThat(status.latestLiverResults()).hasSize(1);
    }

    @Test
    void keepsTheNextInjectionDateAfterTheBlockadeLapsed() {
        NaltrexoneStatus status = NaltrexoneStatus.of(notation.timeline("xr-naltrexone given@-40"),
                TimelineNotation.AS_OF, Thresholds.defaults());

        assertThat(status.blockade().phase()).isEqualTo(BlockadePhase.LAPSED);
        assertThat(status.nextInjectionDue()).contains(notation.day(-12));
    }

    @Test
    void passesOnWhichDataCouldNotBeFetched() {
        NaltrexoneStatus status = NaltrexoneStatus.of(
                notation.timeline("xr-naltrexone given@-9; unavailable:observations"), TimelineNotation.AS_OF,
                Thresholds.defaults());

        assertThat(status.unavailable()).containsExactly(DataKind.OBSERVATIONS);
        assertThat(status.latestLiverResults()).isEmpty();
    }
}
