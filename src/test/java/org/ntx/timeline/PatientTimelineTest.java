package org.ntx.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PatientTimelineTest {

    private static final Instant WHEN = Instant.parse("2026-03-06T12:00:00Z");

    @Test
    void dropsAnotherPatientsInjectionLabAndDiagnosis() {
        PatientTimeline timeline = new PatientTimeline("p1",
                List.of(injection("p1", "own"), injection("p2", "foreign")),
                List.of(alt("p1", "own-alt"), alt("p2", "foreign-alt")),
                List.of(hepatitis("p2")),
                Set.of());

        assertThat(timeline.medications()).extracting(event -> event.source().id()).containsExactly("own");
        assertThat(timeline.labResults()).extracting(result -> result.source().id()).containsExactly("own-alt");
        assertThat(timeline.conditions()).isEmpty();
    }

    @Test
    void isNotChangedByLaterEditsOfTheListsItWasBuiltFrom() {
        List<MedicationEvent> medications = new ArrayList<>(List.of(injection("p1", "a")));
        Set<DataKind> unavailable = EnumSet.of(DataKind.OBSERVATIONS);
        PatientTimeline timeline = new PatientTimeline("p1", medications, List.of(), List.of(), unavailable);

        medications.add(injection("p1", "b"));
        unavailable.add(DataKind.MEDICATIONS);

        assertThat(timeline.medications()).hasSize(1);
        assertThat(timeline.unavailable()).containsExactly(DataKind.OBSERVATIONS);
        assertThat(timeline.isAvailable(DataKind.MEDICATIONS)).isTrue();
        assertThat(timeline.isAvailable(DataKind.OBSERVATIONS)).isFalse();
    }

    @Test
    void countsOnlyCompletedAdministrationsAndLiveOrders() {
        assertThat(medication(MedicationEvent.Kind.ADMINISTRATION, MedicationEvent.Status.COMPLETED).counts()).isTrue();
        assertThat(medication(MedicationEvent.Kind.ADMINISTRATION, MedicationEvent.Status.NOT_DONE).counts())
                .isFalse();
        assertThat(medication(MedicationEvent.Kind.DISPENSE, MedicationEvent.Status.IN_PROGRESS).counts()).isFalse();
        assertThat(medication(MedicationEvent.Kind.ORDER, MedicationEvent.Status.STOPPED).counts()).isTrue();
        assertThat(medication(MedicationEvent.Kind.ORDER, MedicationEvent.Status.CANCELLED).counts()).isFalse();
        assertThat(medication(MedicationEvent.Kind.ORDER, MedicationEvent.Status.ENTERED_IN_ERROR).counts())
                .isFalse();
        assertThat(medication(MedicationEvent.Kind.ORDER, MedicationEvent.Status.DRAFT).counts()).isFalse();
        assertThat(medication(MedicationEvent.Kind.STATEMENT, MedicationEvent.Status.NOT_TAKEN).counts()).isFalse();
        assertThat(medication(MedicationEvent.Kind.STATEMENT, MedicationEvent.Status.ACTIVE).counts()).isTrue();
    }

    @Test
    void treatsSuspectedHepatitisAsActiveButNotARefutedOne() {
        assertThat(condition(ConditionRecord.Verification.PROVISIONAL).isActive()).isTrue();
        assertThat(condition(ConditionRecord.Verification.REFUTED).isActive()).isFalse();
        assertThat(condition(ConditionRecord.Verification.ENTERED_IN_ERROR).isActive()).isFalse();
    }

    @Test
    void rejectsANegativeDaysSupply() {
        assertThatThrownBy(() -> new MedicationEvent("p1", new SourceRef("MedicationDispense", "d"),
                MedicationEvent.Kind.DISPENSE, MedicationEvent.Status.COMPLETED, DrugClass.NALTREXONE_ORAL,
                "naltrexone", Set.of(), WHEN, Optional.empty(), Optional.of(-1), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static MedicationEvent injection(String patientId, String id) {
        return new MedicationEvent(patientId, new SourceRef("MedicationAdministration", id),
                MedicationEvent.Kind.ADMINISTRATION, MedicationEvent.Status.COMPLETED,
                DrugClass.NALTREXONE_EXTENDED_RELEASE, "naltrexone 380 MG Injection", Set.of(Code.rxnorm("637213")),
                WHEN, Optional.empty(), Optional.empty(), Optional.of(BigDecimal.valueOf(380)), Optional.of("IM"));
    }

    private static MedicationEvent medication(MedicationEvent.Kind kind, MedicationEvent.Status status) {
        return new MedicationEvent("p1", new SourceRef("MedicationRequest", "m"), kind, status,
                DrugClass.NALTREXONE_ORAL, "naltrexone", Set.of(), WHEN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static LabResult alt(String patientId, String id) {
        return new LabResult(patientId, new SourceRef("Observation", id), LabTest.ALT, "ALT", LabResult.Status.FINAL,
                WHEN, Optional.of(BigDecimal.valueOf(300)), Optional.of("U/L"), Optional.of(BigDecimal.valueOf(40)),
                Optional.empty());
    }

    private static ConditionRecord hepatitis(String patientId) {
        return new ConditionRecord(patientId, new SourceRef("Condition", "c"), ConditionClass.ACUTE_HEPATITIS,
                "acute hepatitis", ConditionRecord.ClinicalStatus.ACTIVE, ConditionRecord.Verification.CONFIRMED,
                Optional.of(WHEN));
    }

    private static ConditionRecord condition(ConditionRecord.Verification verification) {
        return new ConditionRecord("p1", new SourceRef("Condition", "c"), ConditionClass.ACUTE_HEPATITIS,
                "acute hepatitis", ConditionRecord.ClinicalStatus.ACTIVE, verification, Optional.of(WHEN));
    }
}
