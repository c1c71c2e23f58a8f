package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a medication means for naltrexone safety, from its RxNorm product or ingredient codes. Order matters:
 * <ol>
 *   <li>blocker products (naltrexone oral and extended-release, olanzapine/samidorphan, bupropion/naltrexone);</li>
 *   <li>opioid agonists and partial agonists, including agonist products with sequestered naltrexone
 *       (morphine/naltrexone is an opioid, not a blocker: REFERENCE.md §7), long-acting before short-acting;</li>
 *   <li>a bare naltrexone ingredient code: extended-release when given intramuscularly, oral otherwise;</li>
 *   <li>reversal agents (naloxone, nalmefene), which do not block (REFERENCE.md §7);</li>
 *   <li>anything else.</li>
 * </ol>
 * Codes come from {@code shared/clinical/codes.csv}; the value sets are the package's expansions.
 */
public final class MedicationClassifier {

    private static final Code NALTREXONE_XR_380 = Code.rxnorm("637213");
    private static final Code NALTREXONE_ORAL_50 = Code.rxnorm("1483744");
    private static final Code HCPCS_NALTREXONE_DEPOT = new Code("urn:oid:2.16.840.1.113883.6.285", "J2315");
    private static final Set<Code> SAMIDORPHAN_COMBINATIONS = Set.of(Code.rxnorm("2570392"), Code.rxnorm("2570399"),
            Code.rxnorm("2570402"), Code.rxnorm("2570405"));
    private static final Code BUPROPION_NALTREXONE = Code.rxnorm("1551468");
    private static final Code NALTREXONE_INGREDIENT = Code.rxnorm("7243");
    /** Methadone and buprenorphine ingredients: the long opioid-free window applies (REFERENCE.md §2). */
    private static final Set<Code> LONG_ACTING_INGREDIENTS = Set.of(Code.rxnorm("6813"), Code.rxnorm("1819"));
    private static final Set<Code> REVERSAL_AGENTS = Set.of(Code.rxnorm("7242"), Code.rxnorm("1191222"),
            Code.rxnorm("1725059"), Code.rxnorm("199059"), Code.rxnorm("2592953"), Code.rxnorm("2639721"));

    private final CodeSet opioidAgonists;
    private final CodeSet sequesteredAntagonistAgonists;
    private final CodeSet longActingOpioids;

    MedicationClassifier(ValueSetIndex valueSets) {
        this.opioidAgonists = valueSets.get(ValueSets.OPIOID_AGONISTS);
        this.sequesteredAntagonistAgonists = valueSets.get(ValueSets.OPIOID_AGONISTS_WITH_SEQUESTERED_ANTAGONIST);
        this.longActingOpioids = valueSets.get(ValueSets.LONG_ACTING_OPIOIDS);
    }

    /**
     * @param codes the product and ingredient codes of one medication
     * @param route the route as text, when known: it separates an ingredient-only naltrexone injection from a tablet
     */
    public DrugClass classify(Collection<Code> codes, Optional<String> route) {
        if (codes.contains(NALTREXONE_XR_380) || codes.contains(HCPCS_NALTREXONE_DEPOT)) {
            return DrugClass.NALTREXONE_EXTENDED_RELEASE;
        }
        if (codes.contains(NALTREXONE_ORAL_50)) {
            return DrugClass.NALTREXONE_ORAL;
        }
        if (codes.stream().anyMatch(SAMIDORPHAN_COMBINATIONS::contains)) {
            return DrugClass.SAMIDORPHAN_COMBINATION;
        }
        if (codes.contains(BUPROPION_NALTREXONE)) {
            return DrugClass.BUPROPION_NALTREXONE;
        }
        if (sequesteredAntagonistAgonists.containsAny(codes)) {
            // The sequestered-antagonist products are all extended-release (Embeda, Troxyca).
            return DrugClass.OPIOID_LONG_ACTING;
        }
        if (opioidAgonists.containsAny(codes) || longActingOpioids.containsAny(codes)) {
            return longActingOpioids.containsAny(codes) || codes.stream().anyMatch(LONG_ACTING_INGREDIENTS::contains)
                    ? DrugClass.OPIOID_LONG_ACTING
                    : DrugClass.OPIOID_SHORT_ACTING;
        }
        if (codes.contains(NALTREXONE_INGREDIENT)) {
            return route.map(r -> r.toLowerCase(Locale.ROOT)).filter(r -> r.contains("intramuscular")
                    || r.equals("im")).isPresent() ? DrugClass.NALTREXONE_EXTENDED_RELEASE : DrugClass.NALTREXONE_ORAL;
        }
        if (codes.stream().anyMatch(REVERSAL_AGENTS::contains)) {
            return DrugClass.OPIOID_REVERSAL_AGENT;
        }
        return DrugClass.OTHER;
    }
}
