package org.ntx.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void defaultsAreTheDocumentedClinicalNumbers() {
        Thresholds defaults = Thresholds.defaults();

        assertThat(defaults.extendedReleaseBlockade()).isEqualTo(Duration.ofDays(28));
        assertThat(defaults.extendedReleaseWaningEnd()).isEqualTo(Duration.ofDays(35));
        assertThat(defaults.shortActingOpioidFreeWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.longActingOpioidFreeWindow()).isEqualTo(Duration.ofDays(10));
        assertThat(defaults.samidorphanLongActingOpioidFreeWindow()).isEqualTo(Duration.ofDays(14));
        assertThat(defaults.liverWarningMultiple()).isEqualByComparingTo("3");
        assertThat(defaults.liverCriticalMultiple()).isEqualByComparingTo("5");
        assertThat(defaults.hepaticConditionSeverity()).isEqualTo(Severity.WARNING);
        assertThat(defaults.overdoseLookback()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void configuringTheFourteenDayWindowChangesNothingElse() {
        Thresholds fourteen = Thresholds.defaults().withLongActingOpioidFreeWindow(Duration.ofDays(14));

        assertThat(fourteen.longActingOpioidFreeWindow()).isEqualTo(Duration.ofDays(14));
        assertThat(fourteen.withLongActingOpioidFreeWindow(Duration.ofDays(10))).isEqualTo(Thresholds.defaults());
    }

    @Test
    void rejectsALongActingWindowShorterThanTheShortActingOne() {
        assertThatThrownBy(() -> Thresholds.defaults().withLongActingOpioidFreeWindow(Duration.ofDays(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsACriticalLiverMultipleBelowTheWarningOne() {
        Thresholds d = Thresholds.defaults();
        assertThatThrownBy(() -> new Thresholds(d.extendedReleaseBlockade(), d.extendedReleaseWaningEnd(),
                d.injectionInterval(), d.oralTail50Mg(), d.oralTail100Mg(), d.oralTail150Mg(), d.combinationTail(),
                d.shortActingOpioidFreeWindow(), d.longActingOpioidFreeWindow(),
                d.samidorphanLongActingOpioidFreeWindow(), d.positiveScreenWindow(), d.inductionCriticalRecency(),
                BigDecimal.valueOf(5), BigDecimal.valueOf(3), d.defaultAltUpperLimit(), d.defaultAstUpperLimit(),
                d.hepaticConditionSeverity(), d.liverTestLookback(), d.overdoseLookback()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
