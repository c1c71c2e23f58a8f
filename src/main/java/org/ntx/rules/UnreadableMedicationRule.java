package org.ntx.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;

/**
 * A draft order or a recent history item names naltrexone, another blocker or an opioid but could not be classified
 * (topic {@code data-unavailable}, WARNING): an order whose Medication cannot be read, a text that names an opioid
 * without saying which, naltrexone and an opioid in one text, a naltrexone form no product has. Silence would read as
 * "no conflict", so the card names each record and what could not be read. History items count when they started
 * within the last {@link #HISTORY} (the longest product exposure, a buprenorphine implant, is 6 months; design
 * choice) and whenever a check reads the medication history: patient-view, or an opioid or blocker being ordered.
 */
final class UnreadableMedicationRule implements NaltrexoneRule {

    static final Duration HISTORY = Duration.ofDays(365);

    @Override
    public Topic topic() {
        return Topic.DATA_UNAVAILABLE;
    }

    @Override
    public List<Citation> citations() {
        return List.of();
    }

    @Override
    public List<String> thresholds() {
        return List.of();
    }

    @Override
    public String checks() {
        return "classification of each medication";
    }

    @Override
    public Set<DataKind> needs() {
        return Set.of();
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return !unreadableDrafts(input).isEmpty() || (readsHistory(input) && !unreadableHistory(input).isEmpty());
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        List<Finding> findings = new ArrayList<>();
        for (MedicationEvent draft : unreadableDrafts(input)) {
            String summary = "Could not classify the order being signed: naltrexone and opioid checks did not run on it";
            String detail = draft.source().reference() + ": " + draft.display() + ".\n\n"
                    + "The order names naltrexone, an opioid blocker or an opioid, but the service could not tell"
                    + " which product it is, so the blockade, opioid-free window and liver checks did not run on it."
                    + " Code the order (RxNorm or NDC), or check it by hand.\n";
            findings.add(new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING, summary, detail, List.of(), List.of(),
                    Set.of(), List.of(draft.source()), Optional.of(DataKind.MEDICATIONS)));
        }
        if (readsHistory(input)) {
            List<MedicationEvent> history = unreadableHistory(input);
            if (!history.isEmpty()) {
                StringBuilder detail = new StringBuilder("These records name naltrexone, an opioid blocker or an"
                        + " opioid but could not be classified, so the checks may have missed them:\n\n");
                history.forEach(event -> detail.append("- ").append(event.source().reference()).append(" (")
                        .append(ClinicalText.date(event.start())).append("): ").append(event.display()).append('\n'));
                detail.append("\nReview them by hand before acting.\n");
                findings.add(new Finding(Topic.DATA_UNAVAILABLE, Severity.WARNING,
                        "Could not classify " + history.size() + " medication record(s) that name naltrexone or an"
                                + " opioid", detail.toString(), history.stream().map(event -> new Evidence(
                                event.source(), event.display(), event.start())).toList(), List.of(), Set.of(),
                        List.of(), Optional.of(DataKind.MEDICATIONS)));
            }
        }
        return findings;
    }

    private static boolean readsHistory(RuleInput input) {
        return input.trigger() == Trigger.PATIENT_VIEW || input.draftOrders().stream()
                .anyMatch(draft -> draft.drugClass().isOpioid() || draft.drugClass().blocksOpioids());
    }

    private static List<MedicationEvent> unreadableDrafts(RuleInput input) {
        return input.draftOrders().stream().filter(draft -> draft.drugClass() == DrugClass.UNCLASSIFIED).toList();
    }

    private static List<MedicationEvent> unreadableHistory(RuleInput input) {
        Instant since = input.asOf().minus(HISTORY);
        return input.timeline().medications().stream()
                .filter(event -> event.drugClass() == DrugClass.UNCLASSIFIED)
                .filter(MedicationEvent::counts)
                .filter(event -> !event.start().isBefore(since) && !event.start().isAfter(input.asOf()))
                .toList();
    }
}
