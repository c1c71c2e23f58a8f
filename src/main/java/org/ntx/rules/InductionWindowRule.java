package org.ntx.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;

/**
 * An opioid antagonist (naltrexone oral or injection, olanzapine/samidorphan, bupropion/naltrexone) is being ordered
 * inside the opioid-free window (topic {@code induction-window}): it may precipitate opioid withdrawal, which can be
 * severe enough to need hospital care (Vivitrol PI §5.3, REFERENCE.md §2).
 *
 * <p>The window ({@link OpioidExposureHistory}) runs 7 days after the last short-acting opioid and 10 days
 * (configurable to 14) after methadone, buprenorphine, extended-release or transdermal opioids (Vivitrol PI §2/§5.3,
 * tablets label: "7-10 days", "up to two weeks" after buprenorphine or methadone). Before olanzapine/samidorphan the
 * long-acting window is at least 14 days (Lybalvi PI, REFERENCE.md §7). A positive opioid urine screen opens a
 * 7-day window from its collection date (a positive screen is a contraindication in the tablets label).
 *
 * <p>Severity: CRITICAL when an opioid is still supplied or prescribed at {@code asOf}, or the last exposure was
 * within {@link Thresholds#inductionCriticalRecency()} (3 days): the tablets label contraindicates naltrexone in
 * patients receiving opioid analgesics. Otherwise WARNING. The finding gives the date the window closes and suggests
 * a naloxone challenge, except while an opioid is still supplied, when a challenge would only provoke withdrawal.
 *
 * <p>A patient on an antagonist switching formulation (oral to injection) with no opioid exposure has no window and
 * is not flagged. Thresholds: {@link Thresholds}.
 */
final class InductionWindowRule implements NaltrexoneRule {

    private final Thresholds thresholds;
    private final OpioidExposureHistory history;

    InductionWindowRule(Thresholds thresholds) {
        this.thresholds = thresholds;
        this.history = new OpioidExposureHistory(thresholds);
    }

    @Override
    public Topic topic() {
        return Topic.INDUCTION_WINDOW;
    }

    @Override
    public List<Citation> citations() {
        return List.of(
                Citation.OPIOID_FREE_INTERVAL,
                Citation.ORAL_CONTRAINDICATIONS,
                Citation.LYBALVI_OPIOID_FREE_INTERVAL,
                Citation.INDUCTION_SEVERITY,
                Citation.ORDER_ON_FILE,
                Citation.PRODUCT_EXPOSURE,
                Citation.TEXT_ONLY);
    }

    @Override
    public List<String> thresholds() {
        return List.of("shortActingOpioidFreeWindow", "longActingOpioidFreeWindow", "samidorphanLongActingOpioidFreeWindow", "positiveScreenWindow", "inductionCriticalRecency", "orderOnFileAfter");
    }

    @Override
    public String checks() {
        return "opioid-free window before naltrexone";
    }

    @Override
    public Set<DataKind> needs() {
        return EnumSet.of(DataKind.MEDICATIONS, DataKind.OBSERVATIONS);
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return input.draftOrders().stream().anyMatch(draft -> draft.drugClass().blocksOpioids());
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        return input.draftOrders().stream()
                .filter(draft -> draft.drugClass().blocksOpioids())
                .flatMap(draft -> history.window(input.timeline(), input.asOf(), longActingWindow(draft))
                        .filter(window -> window.isOpenAt(input.asOf()))
                        .map(window -> finding(draft, window, input.asOf()))
                        .stream())
                .toList();
    }

    /** Only opioid orders on file, not known to be taken, keep the window open: a warning that names their dates. */
    private Finding onFile(MedicationEvent draft, OpioidFreeWindow window) {
        String antagonist = ClinicalText.formulation(draft.drugClass());
        String summary = "Active opioid order from " + ClinicalText.date(window.lastExposure())
                + " on file (not known to be taken): confirm no opioid use before " + antagonist;
        StringBuilder detail = new StringBuilder(draft.display())
                .append(" blocks opioid receptors. The record holds active opioid orders that nothing since (no"
                        + " dispense, administration or report) shows are taken:\n\n");
        window.evidence().forEach(evidence -> detail.append("- ").append(evidence.description()).append('\n'));
        detail.append("\nIf the patient still takes them, the antagonist may precipitate withdrawal. Ask, check the"
                + " prescription monitoring programme, and consider a naloxone challenge; discontinue the old orders if"
                + " they are no longer taken.\n");
        return Finding.clinical(topic(), Severity.WARNING, summary, detail.toString(), window.evidence(),
                List.of(Citation.OPIOID_FREE_INTERVAL, Citation.ORAL_CONTRAINDICATIONS, Citation.ORDER_ON_FILE),
                List.of(SuggestedAction.REMOVE_DRAFT_ORDER, SuggestedAction.NALOXONE_CHALLENGE),
                List.of(draft.source()));
    }

    private Duration longActingWindow(MedicationEvent draft) {
        Duration configured = thresholds.longActingOpioidFreeWindow();
        Duration lybalvi = thresholds.samidorphanLongActingOpioidFreeWindow();
        return draft.drugClass() == DrugClass.SAMIDORPHAN_COMBINATION && lybalvi.compareTo(configured) > 0
                ? lybalvi
                : configured;
    }

    private Finding finding(MedicationEvent draft, OpioidFreeWindow window, Instant asOf) {
        if (window.onFileOnly()) {
            return onFile(draft, window);
        }
        boolean recent = !window.lastExposure().isBefore(asOf.minus(thresholds.inductionCriticalRecency()));
        boolean textAlone = draft.textOnly() && window.textOnly();
        boolean critical = (window.opioidOngoing() || recent) && !textAlone;
        String antagonist = ClinicalText.formulation(draft.drugClass());
        String closes = ClinicalText.date(window.closesAt());
        String summary = window.opioidOngoing()
                ? "Opioid still active: " + antagonist + " may precipitate withdrawal; opioid-free window ends "
                        + closes
                : "Last opioid exposure " + ClinicalText.date(window.lastExposure()) + "; opioid-free window closes "
                        + closes + ": " + antagonist + " may precipitate withdrawal";
        StringBuilder detail = new StringBuilder()
                .append(draft.display()).append(" blocks opioid receptors. ")
                .append("The patient is inside the opioid-free interval (7 days after short-acting opioids, ")
                .append(ClinicalText.days(longActingWindow(draft).toDays()))
                .append(" after methadone, buprenorphine or long-acting opioids), which closes on ")
                .append(closes).append(".\n\n");
        if (window.opioidOngoing()) {
            detail.append("- An opioid is still supplied or prescribed: stop it and wait out the window first.\n");
        } else {
            detail.append("- Wait until ").append(closes)
                    .append(", or confirm opioid abstinence with a naloxone challenge before the first dose.\n");
        }
        detail.append("- Precipitated withdrawal can be severe; no test fully confirms an adequate opioid-free"
                + " period.\n");
        if (draft.textOnly()) {
            detail.append("- The naltrexone order was ").append(OpioidBlockadeConflictRule.TEXT_NOTE).append(".\n");
        }
        if (window.textOnly()) {
            detail.append("- The opioid on record was recognised from its text, not its codes.\n");
        }
        List<Citation> citations = new ArrayList<>(List.of(Citation.OPIOID_FREE_INTERVAL,
                Citation.ORAL_CONTRAINDICATIONS));
        if (draft.drugClass() == DrugClass.SAMIDORPHAN_COMBINATION) {
            citations.add(Citation.LYBALVI_OPIOID_FREE_INTERVAL);
        }
        if (critical) {
            citations.add(Citation.INDUCTION_SEVERITY);
        }
        if (window.productExposure()) {
            citations.add(Citation.PRODUCT_EXPOSURE);
        }
        if (textAlone) {
            citations.add(Citation.TEXT_ONLY);
        }
        List<SuggestedAction> suggestions = window.opioidOngoing()
                ? List.of(SuggestedAction.REMOVE_DRAFT_ORDER)
                : List.of(SuggestedAction.REMOVE_DRAFT_ORDER, SuggestedAction.NALOXONE_CHALLENGE);
        return Finding.clinical(topic(), critical ? Severity.CRITICAL : Severity.WARNING, summary,
                detail.toString(), window.evidence(), citations, suggestions, List.of(draft.source()));
    }
}
