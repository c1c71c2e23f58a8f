package org.ntx.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ntx.timeline.ConditionClass;
import org.ntx.timeline.ConditionRecord;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.SourceRef;

/**
 * A naltrexone product (oral, injection, bupropion/naltrexone) is being ordered for a patient whose liver may not
 * tolerate it (topic {@code liver-function}). Naltrexone can cause hepatocellular injury; Vivitrol PI §5.4 keeps a
 * hepatotoxicity warning, older oral labels contraindicated acute hepatitis and liver failure, and Vivitrol removed
 * that contraindication in 7/2013 (REFERENCE.md §5) — hence the configurable parts.
 *
 * <ul>
 *   <li>Latest ALT or AST above {@link Thresholds#liverCriticalMultiple()} (5x) ULN: CRITICAL, a design suggestion
 *       in REFERENCE.md §5; above {@link Thresholds#liverWarningMultiple()} (3x) ULN: WARNING, the exclusion limit of
 *       the XR-naltrexone trials (BMC Psychiatry 2005;5:18; Lucey 2008). Only the latest value of each test counts
 *       ({@link LiverTestResults}).</li>
 *   <li>Active acute hepatitis or liver failure: {@link Thresholds#hepaticConditionSeverity()} (WARNING by default,
 *       CRITICAL for sites that follow the older labels).</li>
 *   <li>No ALT, AST or hepatic panel within {@link Thresholds#liverTestLookback()} (90 days): INFO, suggesting a
 *       hepatic function panel (practice, not label: REFERENCE.md §5). Not raised when laboratory results could not
 *       be fetched; the data-unavailable finding says so instead.</li>
 * </ul>
 * Olanzapine/samidorphan contains no naltrexone and is not checked here.
 */
final class LiverFunctionRule implements NaltrexoneRule {

    private static final Set<ConditionClass> HEPATIC_CONTRAINDICATIONS = EnumSet.of(ConditionClass.ACUTE_HEPATITIS,
            ConditionClass.LIVER_FAILURE);

    private final Thresholds thresholds;
    private final LiverTestResults liverTests;

    LiverFunctionRule(Thresholds thresholds) {
        this.thresholds = thresholds;
        this.liverTests = new LiverTestResults(thresholds);
    }

    @Override
    public Topic topic() {
        return Topic.LIVER_FUNCTION;
    }

    @Override
    public List<Citation> citations() {
        return List.of(Citation.HEPATOTOXICITY, Citation.TRIAL_LIVER_EXCLUSION, Citation.LIVER_CRITICAL_MULTIPLE, Citation.LIVER_MONITORING);
    }

    @Override
    public List<String> thresholds() {
        return List.of("liverWarningMultiple", "liverCriticalMultiple", "defaultAltUpperLimit", "defaultAstUpperLimit", "hepaticConditionSeverity", "liverTestLookback");
    }

    @Override
    public String checks() {
        return "liver function before naltrexone";
    }

    @Override
    public Set<DataKind> needs() {
        return EnumSet.of(DataKind.OBSERVATIONS, DataKind.CONDITIONS);
    }

    @Override
    public boolean appliesTo(RuleInput input) {
        return !naltrexoneDrafts(input).isEmpty();
    }

    @Override
    public List<Finding> evaluate(RuleInput input) {
        List<SourceRef> drafts = naltrexoneDrafts(input).stream().map(MedicationEvent::source).toList();
        List<Finding> findings = new ArrayList<>();
        aminotransferases(input, drafts).ifPresent(findings::add);
        hepaticCondition(input, drafts).ifPresent(findings::add);
        if (input.timeline().isAvailable(DataKind.OBSERVATIONS)) {
            noRecentTest(input, drafts).ifPresent(findings::add);
        }
        return findings;
    }

    private Optional<Finding> aminotransferases(RuleInput input, List<SourceRef> drafts) {
        List<LiverResult> latest = List.of(LabTest.ALT, LabTest.AST).stream()
                .flatMap(test -> liverTests.latest(input.timeline(), test, input.asOf()).stream())
                .toList();
        Optional<LiverResult> worst = latest.stream()
                .filter(result -> result.exceeds(thresholds.liverWarningMultiple()))
                .max(Comparator.comparing(result -> result.multipleOfUpperLimit().orElseThrow()));
        if (worst.isEmpty()) {
            return Optional.empty();
        }
        LiverResult result = worst.get();
        boolean critical = result.exceeds(thresholds.liverCriticalMultiple());
        String limit = ClinicalText.number(critical ? thresholds.liverCriticalMultiple()
                : thresholds.liverWarningMultiple());
        String summary = "Latest " + result.test().name() + " is " + ClinicalText.multiple(
                result.multipleOfUpperLimit().orElseThrow()) + " (above " + limit + "x): naltrexone can injure the"
                + " liver";
        StringBuilder detail = new StringBuilder("Latest liver results:\n\n");
        latest.forEach(liver -> detail.append("- ").append(liver.describe())
                .append(liver.upperLimitFromResult() ? "" : ", against the default ULN").append('\n'));
        detail.append(withoutValue(input));
        detail.append("\nNaltrexone can cause hepatocellular injury. ")
                .append(critical ? "This service treats values above " + limit + "x ULN as a stop: recheck liver tests"
                        + " and find the cause before starting."
                        : "Patients above 3x ULN were excluded from the XR-naltrexone trials; weigh benefit and"
                                + " monitor liver tests.")
                .append('\n');
        List<Citation> citations = critical
                ? List.of(Citation.HEPATOTOXICITY, Citation.TRIAL_LIVER_EXCLUSION, Citation.LIVER_CRITICAL_MULTIPLE)
                : List.of(Citation.HEPATOTOXICITY, Citation.TRIAL_LIVER_EXCLUSION);
        List<SuggestedAction> suggestions = critical ? List.of(SuggestedAction.REMOVE_DRAFT_ORDER) : List.of();
        return Optional.of(Finding.clinical(topic(), critical ? Severity.CRITICAL : Severity.WARNING, summary,
                detail.toString(), latest.stream().map(LiverResult::evidence).toList(), citations, suggestions,
                drafts));
    }

    private Optional<Finding> hepaticCondition(RuleInput input, List<SourceRef> drafts) {
        Instant asOf = input.asOf();
        List<ConditionRecord> active = input.timeline().conditions().stream()
                .filter(condition -> HEPATIC_CONTRAINDICATIONS.contains(condition.conditionClass()))
                .filter(ConditionRecord::isActive)
                .filter(condition -> condition.onset().filter(onset -> onset.isAfter(asOf)).isEmpty())
                .toList();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Severity severity = thresholds.hepaticConditionSeverity();
        ConditionRecord first = active.get(0);
        String summary = "Active " + (first.conditionClass() == ConditionClass.LIVER_FAILURE ? "liver failure"
                : "acute hepatitis") + " on record: naltrexone can injure the liver";
        String detail = "Active diagnoses:\n\n"
                + String.join("", active.stream().map(condition -> "- " + condition.display() + "\n").toList())
                + "\nOlder naltrexone labels contraindicated acute hepatitis and liver failure; current labels warn"
                + " of hepatotoxicity. Confirm the diagnosis is current and check liver tests before starting.\n";
        List<Evidence> evidence = active.stream()
                .map(condition -> new Evidence(condition.source(), condition.display(),
                        condition.onset().orElse(asOf)))
                .toList();
        List<SuggestedAction> suggestions = severity == Severity.CRITICAL
                ? List.of(SuggestedAction.REMOVE_DRAFT_ORDER)
                : List.of();
        return Optional.of(Finding.clinical(topic(), severity, summary, detail, evidence,
                List.of(Citation.HEPATOTOXICITY), suggestions, drafts));
    }

    private Optional<Finding> noRecentTest(RuleInput input, List<SourceRef> drafts) {
        Instant since = input.asOf().minus(thresholds.liverTestLookback());
        Optional<LabResult> last = liverTests.latestAminotransferaseTest(input.timeline(),
                input.asOf());
        if (last.filter(result -> !result.effective().isBefore(since)).isPresent()) {
            return Optional.empty();
        }
        long lookbackDays = thresholds.liverTestLookback().toDays();
        String summary = "No ALT/AST in the last " + lookbackDays + " days: check liver function before naltrexone";
        String detail = last
                .map(result -> "The last aminotransferase result is from " + ClinicalText.date(result.effective())
                        + ".")
                .orElse("No ALT or AST result is on record.")
                + " Order a hepatic function panel (ALT, AST, bilirubin) before starting naltrexone.\n"
                + withoutValue(input);
        List<Evidence> evidence = last
                .map(result -> List.of(new Evidence(result.source(), result.display(), result.effective())))
                .orElse(List.of());
        return Optional.of(Finding.clinical(topic(), Severity.INFO, summary, detail, evidence,
                List.of(Citation.LIVER_MONITORING), List.of(SuggestedAction.ORDER_HEPATIC_FUNCTION_PANEL), drafts));
    }

    /** Later ALT/AST results the lab reported without a value, so the card does not pass them over in silence. */
    private String withoutValue(RuleInput input) {
        StringBuilder text = new StringBuilder();
        for (LabResult result : liverTests.laterWithoutValue(input.timeline(), input.asOf())) {
            text.append("- ").append(result.test().name()).append(" on ").append(ClinicalText.date(result.effective()))
                    .append(" has no value").append(result.absentReason().map(reason -> " (" + reason + ")").orElse(""))
                    .append(": it could not be read as a result.\n");
        }
        return text.toString();
    }

    private static List<MedicationEvent> naltrexoneDrafts(RuleInput input) {
        return input.draftOrders().stream().filter(draft -> draft.drugClass().containsNaltrexone()).toList();
    }
}
