package org.ntx.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.SourceRef;

/**
 * An opioid agonist or partial agonist meets an opioid blockade (topic {@code opioid-blockade-conflict}). The opioid
 * will not relieve pain at usual doses, and trying to overcome the blockade with large doses risks respiratory
 * depression (REFERENCE.md §3, §4).
 *
 * <ul>
 *   <li>An opioid draft while the blockade is {@linkplain BlockadePhase#ACTIVE active}: CRITICAL (28 days after an
 *       extended-release injection, Vivitrol PI §5.1; oral naltrexone supply plus 24/48/72 h by strength, tablets
 *       label; olanzapine/samidorphan or bupropion/naltrexone supply plus 24 h, design choice).</li>
 *   <li>WARNING in the {@linkplain BlockadePhase#WANING waning} band, day 29 to 35 after the injection (design
 *       choice, REFERENCE.md §1).</li>
 *   <li>A blocker and an opioid drafted together in one order set: one finding naming both drafts, CRITICAL (the
 *       blocker is contraindicated in patients receiving opioid analgesics, Vivitrol PI §4, tablets label).</li>
 *   <li>patient-view: an active blockade together with an opioid the record shows the patient has now (an active
 *       order within its supply, a dispense whose supply has not run out, a depot or patch still releasing) or was
 *       dispensed or given in the last 7 days: WARNING, for the clinician to reconcile.</li>
 * </ul>
 * Evidence strength: a blockade resting only on an old active order nothing supports ({@link Thresholds#orderOnFileAfter})
 * is a WARNING that gives the order's date; a finding resting only on records recognised from their text is a WARNING
 * and says so. A text-only opioid draft during a blockade documented by codes stays CRITICAL: what is being ordered is
 * the clinician's own choice, the blockade is what the record proves. Any opioid draft counts, including buprenorphine
 * and agonist products with sequestered naltrexone (morphine/naltrexone), which the terminology layer classifies as
 * opioids (REFERENCE.md §7). Thresholds: {@link Thresholds}.
 */
final class OpioidBlockadeConflictRule implements NaltrexoneRule {

    static final String TEXT_NOTE = "recognised from the order's text, not its codes";

    private final OpioidBlockade blockade;
    private final Thresholds thresholds;

    OpioidBlockadeConflictRule(OpioidBlockade blockade, Thresholds thresholds) {
        this.blockade = blockade;
        this.thresholds = thresholds;
    }

    @Override
    public Topic topic() {
        return Topic.OPIOID_BLOCKADE_CONFLICT;
    }

    @Override
    public List<Citation> citations() {
        return List.of(
                Citation.VIVITROL_BLOCKADE,
                Citation.ORAL_BLOCKADE,
                Citation.COMBINATION_BLOCKADE,
                Citation.WANING_BAND,
                Citation.PAIN_MANAGEMENT,
                Citation.ORDER_ON_FILE,
                Citation.TEXT_ONLY,
                Citation.CONCURRENT_ORDERS);
    }

    @Override
    public List<String> thresholds() {
        return List.of("extendedReleaseBlockade", "extendedReleaseWaningEnd", "oralTail50Mg", "oralTail100Mg", "oralTail150Mg", "combinationTail", "orderOnFileAfter", "shortActingOpioidFreeWindow");
    }

    @Override
    public String checks() {
        return "opioid blockade conflict";
    }

    @Override
    public Set<DataKind> needs() {
        return Set.of(DataKind.MEDICATIONS);
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return input.hasOpioidDraft() || input.trigger() == Trigger.PATIENT_VIEW;
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        List<Finding> findings = new ArrayList<>();
        BlockadeState state = blockade.asOf(input.timeline(), input.asOf());
        List<MedicationEvent> opioidDrafts = input.draftOrders().stream()
                .filter(draft -> draft.drugClass().isOpioid()).toList();
        if (state.blocksOpioids()) {
            opioidDrafts.forEach(draft -> findings.add(finding(draft, state, input)));
        }
        List<MedicationEvent> blockerDrafts = input.draftOrders().stream()
                .filter(draft -> draft.drugClass().blocksOpioids()).toList();
        if (!blockerDrafts.isEmpty() && !opioidDrafts.isEmpty()) {
            findings.add(orderedTogether(blockerDrafts, opioidDrafts));
        }
        if (input.trigger() == Trigger.PATIENT_VIEW && state.phase() == BlockadePhase.ACTIVE) {
            existingConflict(input, state).ifPresent(findings::add);
        }
        return findings;
    }

    private Finding finding(MedicationEvent draft, BlockadeState state, RuleInput input) {
        boolean active = state.phase() == BlockadePhase.ACTIVE;
        boolean textAlone = draft.textOnly() && state.textOnly();
        boolean critical = active && !state.onFileOnly() && !textAlone;
        DrugClass formulation = state.formulation().orElseThrow();
        String blocker = ClinicalText.formulation(formulation);
        String summary;
        if (!active) {
            long day = ClinicalText.daysBetween(state.lastInjection().orElseThrow(), input.asOf());
            summary = "Opioid ordered while naltrexone injection wanes (day " + day + "); blockade may last to "
                    + ClinicalText.date(state.waningUntil().orElseThrow());
        } else if (state.onFileOnly()) {
            summary = "Opioid ordered while an order for " + blocker + " from "
                    + ClinicalText.date(state.decisive().orElseThrow().event().start())
                    + " is on file (not known to be taken)";
        } else if (state.openEnded()) {
            summary = "Opioid ordered during opioid blockade: " + blocker + " is active with no end date";
        } else {
            summary = "Opioid ordered during opioid blockade: " + blocker + " blocks opioids until "
                    + ClinicalText.date(state.activeUntil().orElseThrow());
        }
        StringBuilder detail = new StringBuilder(draft.display()).append(" is being ordered while ").append(blocker)
                .append(active && !state.onFileOnly() ? " blocks opioid receptors."
                        : active ? " may block opioid receptors." : " may still partly block opioid receptors.")
                .append("\n\n");
        notes(detail, draft, state);
        detail.append(PAIN_ADVICE);
        if (!active) {
            detail.append("- Full blockade ended ").append(ClinicalText.date(state.activeUntil().orElseThrow()))
                    .append("; what remains is unreliable until ")
                    .append(ClinicalText.date(state.waningUntil().orElseThrow()))
                    .append(", and tolerance may already be lost.\n");
        }
        List<Citation> citations = new ArrayList<>(citationsFor(formulation));
        if (!active) {
            citations.add(Citation.WANING_BAND);
        }
        citations.add(Citation.PAIN_MANAGEMENT);
        if (state.onFileOnly()) {
            citations.add(Citation.ORDER_ON_FILE);
        }
        if (textAlone) {
            citations.add(Citation.TEXT_ONLY);
        }
        return Finding.clinical(topic(), critical ? Severity.CRITICAL : Severity.WARNING, summary, detail.toString(),
                state.evidence(), citations, List.of(SuggestedAction.REMOVE_DRAFT_ORDER), List.of(draft.source()));
    }

    /** A blocker and an opioid in the same order set: whatever the record says, the pair conflicts. */
    private Finding orderedTogether(List<MedicationEvent> blockers, List<MedicationEvent> opioids) {
        MedicationEvent blocker = blockers.get(0);
        MedicationEvent opioid = opioids.get(0);
        boolean textAlone = blockers.stream().allMatch(MedicationEvent::textOnly)
                && opioids.stream().allMatch(MedicationEvent::textOnly);
        String summary = "Naltrexone and an opioid ordered together: " + ClinicalText.formulation(blocker.drugClass())
                + " blocks the opioid and may precipitate withdrawal";
        StringBuilder detail = new StringBuilder("These orders are being signed together:\n\n");
        for (MedicationEvent draft : blockers) {
            detail.append("- ").append(draft.source().reference()).append(": ").append(draft.display())
                    .append(" (blocks opioids)").append(draft.textOnly() ? ", " + TEXT_NOTE : "").append('\n');
        }
        for (MedicationEvent draft : opioids) {
            detail.append("- ").append(draft.source().reference()).append(": ").append(draft.display())
                    .append(" (opioid)").append(draft.textOnly() ? ", " + TEXT_NOTE : "").append('\n');
        }
        detail.append("\nThe opioid will give little or no effect under the blockade, and in a patient who takes it the"
                + " antagonist can precipitate withdrawal. Keep one of them: ")
                .append(opioid.display()).append(" or ").append(blocker.display()).append(".\n");
        List<Citation> citations = new ArrayList<>(List.of(Citation.CONCURRENT_ORDERS, Citation.PAIN_MANAGEMENT));
        if (textAlone) {
            citations.add(Citation.TEXT_ONLY);
        }
        List<SourceRef> drafts = new ArrayList<>();
        blockers.forEach(draft -> drafts.add(draft.source()));
        opioids.forEach(draft -> drafts.add(draft.source()));
        return Finding.clinical(topic(), textAlone ? Severity.WARNING : Severity.CRITICAL, summary,
                detail.toString(), List.of(), citations, List.of(SuggestedAction.REMOVE_DRAFT_ORDER), drafts);
    }

    /** patient-view: the record shows an opioid the patient has now, or had in the last 7 days, under a blockade. */
    private java.util.Optional<Finding> existingConflict(RuleInput input, BlockadeState state) {
        Instant asOf = input.asOf();
        Instant recent = asOf.minus(thresholds.shortActingOpioidFreeWindow());
        List<MedicationExposure> opioids = MedicationExposure.all(input.timeline(), asOf, thresholds,
                        DrugClass::isOpioid).stream()
                .filter(exposure -> !exposure.onFileOnly())
                .filter(exposure -> exposure.ongoingAt(asOf)
                        || (exposure.event().kind() != MedicationEvent.Kind.ORDER
                        && exposure.event().kind() != MedicationEvent.Kind.STATEMENT
                        && !exposure.event().start().isBefore(recent)))
                .toList();
        if (opioids.isEmpty()) {
            return java.util.Optional.empty();
        }
        String blocker = ClinicalText.formulation(state.formulation().orElseThrow());
        MedicationExposure first = opioids.get(0);
        String summary = "Opioid on record during " + blocker + " blockade: " + shorten(first.event().display());
        StringBuilder detail = new StringBuilder("The record shows opioid blockade from ").append(blocker)
                .append(state.onFileOnly() ? " (an order on file, not known to be taken)" : "")
                .append(" and, at the same time:\n\n");
        opioids.forEach(exposure -> detail.append("- ").append(exposure.evidence().description()).append('\n'));
        detail.append("\nEither the opioid gives little or no effect, or the patient takes opioids against the"
                + " blockade (overdose risk if trying to overcome it). Reconcile the medication list with the patient"
                + " and the prescribers.\n");
        List<Evidence> evidence = new ArrayList<>(state.evidence());
        opioids.forEach(exposure -> evidence.add(exposure.evidence()));
        List<Citation> citations = new ArrayList<>(citationsFor(state.formulation().orElseThrow()));
        citations.add(Citation.CONCURRENT_ORDERS);
        if (state.onFileOnly()) {
            citations.add(Citation.ORDER_ON_FILE);
        }
        return java.util.Optional.of(Finding.clinical(topic(), Severity.WARNING, summary, detail.toString(),
                evidence, citations, List.of(), List.of()));
    }

    private static void notes(StringBuilder detail, MedicationEvent draft, BlockadeState state) {
        if (draft.textOnly()) {
            detail.append("- The opioid was ").append(TEXT_NOTE).append(".\n");
        }
        if (state.textOnly()) {
            detail.append("- The blocker on record was recognised from its text, not its codes.\n");
        }
        if (state.onFileOnly()) {
            MedicationEvent order = state.decisive().orElseThrow().event();
            detail.append("- The ").append(ClinicalText.formulation(order.drugClass())).append(" order is dated ")
                    .append(ClinicalText.date(order.start()))
                    .append(" and nothing since (no dispense, administration or report) shows it is taken: confirm"
                            + " with the patient before relying on it either way.\n");
        }
    }

    private static String shorten(String text) {
        return text.length() <= 70 ? text : text.substring(0, 67) + "...";
    }

    private static final String PAIN_ADVICE =
            "- Usual opioid doses may give little or no analgesia; large doses given to overcome the blockade"
                    + " can cause deep, prolonged respiratory depression.\n"
                    + "- Options for pain (label; ASAM 2015): regional analgesia, non-opioid analgesics (NSAIDs;"
                    + " ketorolac short-term), conscious sedation with a benzodiazepine, general anaesthesia.\n"
                    + "- If an opioid is required: rapidly acting, titrated, in a setting equipped and staffed for"
                    + " cardiopulmonary resuscitation.\n";

    static List<Citation> citationsFor(DrugClass formulation) {
        return switch (formulation) {
            case NALTREXONE_EXTENDED_RELEASE -> List.of(Citation.VIVITROL_BLOCKADE);
            case NALTREXONE_ORAL -> List.of(Citation.ORAL_BLOCKADE);
            default -> List.of(Citation.COMBINATION_BLOCKADE);
        };
    }
}
