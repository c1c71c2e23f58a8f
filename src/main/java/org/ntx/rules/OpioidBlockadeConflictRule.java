package org.ntx.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.MedicationEvent;

/**
 * An opioid agonist or partial agonist is being ordered while opioids are blocked (topic
 * {@code opioid-blockade-conflict}). The opioid will not relieve pain at usual doses, and trying to overcome the
 * blockade with large doses risks respiratory depression (REFERENCE.md §3, §4).
 *
 * <ul>
 *   <li>CRITICAL while the blockade is {@linkplain BlockadePhase#ACTIVE active}: 28 days after an extended-release
 *       injection (Vivitrol PI §5.1), or oral naltrexone supply plus 24/48/72 h by strength (tablets label, Clinical
 *       Pharmacology), or olanzapine/samidorphan or bupropion/naltrexone supply plus 24 h (design choice).</li>
 *   <li>WARNING in the {@linkplain BlockadePhase#WANING waning} band, day 29 to 35 after the injection (design
 *       choice, REFERENCE.md §1).</li>
 * </ul>
 * Any opioid draft counts, including buprenorphine and agonist products with sequestered naltrexone (morphine/
 * naltrexone), which the terminology layer classifies as opioids (REFERENCE.md §7). Thresholds: {@link Thresholds}.
 */
final class OpioidBlockadeConflictRule implements NaltrexoneRule {

    private final OpioidBlockade blockade;

    OpioidBlockadeConflictRule(OpioidBlockade blockade) {
        this.blockade = blockade;
    }

    @Override
    public Topic topic() {
        return Topic.OPIOID_BLOCKADE_CONFLICT;
    }

    @Override
    public List<Citation> citations() {
        return List.of(Citation.VIVITROL_BLOCKADE, Citation.ORAL_BLOCKADE, Citation.COMBINATION_BLOCKADE, Citation.WANING_BAND, Citation.PAIN_MANAGEMENT);
    }

    @Override
    public List<String> thresholds() {
        return List.of("extendedReleaseBlockade", "extendedReleaseWaningEnd", "oralTail50Mg", "oralTail100Mg", "oralTail150Mg", "combinationTail");
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
        return input.hasOpioidDraft();
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        BlockadeState state = blockade.asOf(input.timeline(), input.asOf());
        if (!state.blocksOpioids()) {
            return List.of();
        }
        return input.draftOrders().stream()
                .filter(draft -> draft.drugClass().isOpioid())
                .map(draft -> finding(draft, state, input))
                .toList();
    }

    private Finding finding(MedicationEvent draft, BlockadeState state, RuleInput input) {
        boolean active = state.phase() == BlockadePhase.ACTIVE;
        DrugClass formulation = state.formulation().orElseThrow();
        String blocker = ClinicalText.formulation(formulation);
        String summary;
        if (!active) {
            long day = ClinicalText.daysBetween(state.lastInjection().orElseThrow(), input.asOf());
            summary = "Opioid ordered while naltrexone injection wanes (day " + day + "); blockade may last to "
                    + ClinicalText.date(state.waningUntil().orElseThrow());
        } else if (state.openEnded()) {
            summary = "Opioid ordered during opioid blockade: " + blocker + " is active with no end date";
        } else {
            summary = "Opioid ordered during opioid blockade: " + blocker + " blocks opioids until "
                    + ClinicalText.date(state.activeUntil().orElseThrow());
        }
        String detail = draft.display() + " is being ordered while " + blocker
                + (active ? " blocks opioid receptors." : " may still partly block opioid receptors.")
                + "\n\n"
                + "- Usual opioid doses may give little or no analgesia; large doses given to overcome the blockade"
                + " can cause deep, prolonged respiratory depression.\n"
                + "- Options for pain (label; ASAM 2015): regional analgesia, non-opioid analgesics (NSAIDs; ketorolac"
                + " short-term),"
                + " conscious sedation with a benzodiazepine, general anaesthesia.\n"
                + "- If an opioid is required: rapidly acting, titrated, in a setting equipped and staffed for"
                + " cardiopulmonary resuscitation.\n"
                + (active ? "" : "- Full blockade ended " + ClinicalText.date(state.activeUntil().orElseThrow())
                        + "; what remains is unreliable until " + ClinicalText.date(state.waningUntil().orElseThrow())
                        + ", and tolerance may already be lost.\n");
        List<Citation> citations = new ArrayList<>(citationsFor(formulation));
        if (!active) {
            citations.add(Citation.WANING_BAND);
        }
        citations.add(Citation.PAIN_MANAGEMENT);
        return Finding.clinical(topic(), active ? Severity.CRITICAL : Severity.WARNING, summary, detail,
                state.evidence(), citations, List.of(SuggestedAction.REMOVE_DRAFT_ORDER), List.of(draft.source()));
    }

    static List<Citation> citationsFor(DrugClass formulation) {
        return switch (formulation) {
            case NALTREXONE_EXTENDED_RELEASE -> List.of(Citation.VIVITROL_BLOCKADE);
            case NALTREXONE_ORAL -> List.of(Citation.ORAL_BLOCKADE);
            default -> List.of(Citation.COMBINATION_BLOCKADE);
        };
    }
}
