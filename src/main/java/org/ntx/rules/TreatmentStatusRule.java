package org.ntx.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;

/**
 * On patient-view, an INFO summary of naltrexone treatment (topic {@code treatment-status}): formulation, blockade
 * active until when, next injection due (last injection + 28 days, Vivitrol PI §2), latest liver results as multiples
 * of ULN. Built from {@link NaltrexoneStatus}. A patient never on a blocker gets nothing.
 */
final class TreatmentStatusRule implements NaltrexoneRule {

    private final Thresholds thresholds;

    TreatmentStatusRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    @Override
    public Topic topic() {
        return Topic.TREATMENT_STATUS;
    }

    @Override
    public List<Citation> citations() {
        return List.of(
                Citation.VIVITROL_BLOCKADE,
                Citation.ORAL_BLOCKADE,
                Citation.COMBINATION_BLOCKADE,
                Citation.VIVITROL_DOSING,
                Citation.ORDER_ON_FILE);
    }

    @Override
    public List<String> thresholds() {
        return List.of("extendedReleaseBlockade", "extendedReleaseWaningEnd", "injectionInterval", "orderOnFileAfter");
    }

    @Override
    public String checks() {
        return "naltrexone treatment status";
    }

    @Override
    public Set<DataKind> needs() {
        return EnumSet.of(DataKind.MEDICATIONS, DataKind.OBSERVATIONS);
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return input.trigger() == Trigger.PATIENT_VIEW;
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        NaltrexoneStatus status = NaltrexoneStatus.of(input.timeline(), input.asOf(), thresholds);
        if (!status.everOnBlocker()) {
            return List.of();
        }
        BlockadeState blockade = status.blockade();
        DrugClass formulation = blockade.formulation().orElseThrow();
        String name = ClinicalText.formulation(formulation);
        String until = ClinicalText.date(blockade.activeUntil().orElseThrow());
        String summary = switch (blockade.phase()) {
            case ACTIVE -> blockade.onFileOnly()
                    ? "Order for " + name + " on file since " + ClinicalText.date(blockade.decisive().orElseThrow()
                            .event().start()) + ": not known to be taken (no dispense or administration since)"
                    : blockade.openEnded()
                    ? "On " + name + ": opioid blockade active (no end date recorded)"
                    : "On " + name + ": opioid blockade active until " + until;
            case WANING -> "On " + name + ": blockade waning since " + until + ", gone by "
                    + ClinicalText.date(blockade.waningUntil().orElseThrow());
            default -> "Previously on " + name + ": opioid blockade ended " + until;
        };
        StringBuilder detail = new StringBuilder()
                .append("- Formulation: ").append(name).append('\n')
                .append("- Blockade: ").append(blockade.phase().name().toLowerCase()).append(", full blockade ")
                .append(blockade.phase() == BlockadePhase.ACTIVE ? "until " : "ended ").append(until).append('\n');
        status.nextInjectionDue().ifPresent(due -> detail.append("- Next injection due: ")
                .append(ClinicalText.date(due)).append('\n'));
        status.opioidFreeWindow().ifPresent(window -> detail.append("- Last opioid exposure: ")
                .append(ClinicalText.date(window.lastExposure())).append("; opioid-free window closes ")
                .append(ClinicalText.date(window.closesAt())).append('\n'));
        if (status.latestLiverResults().isEmpty()) {
            detail.append("- Liver tests: none on record\n");
        }
        status.latestLiverResults().forEach(result -> detail.append("- ").append(result.describe()).append('\n'));

        List<Evidence> evidence = new ArrayList<>(blockade.evidence());
        status.latestLiverResults().stream().map(LiverResult::evidence).forEach(evidence::add);
        List<Citation> citations = new ArrayList<>(OpioidBlockadeConflictRule.citationsFor(formulation));
        if (blockade.onFileOnly()) {
            citations.add(Citation.ORDER_ON_FILE);
        }
        if (status.nextInjectionDue().isPresent()) {
            citations.add(Citation.VIVITROL_DOSING);
        }
        return List.of(Finding.clinical(topic(), Severity.INFO, summary, detail.toString(), evidence, citations,
                List.of(), List.of()));
    }
}
