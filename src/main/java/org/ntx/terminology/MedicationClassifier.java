package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.RecognisedFrom;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a medication means for naltrexone safety, however the record codes it.
 *
 * <p>Codes first. Every coding is read: RxNorm under its URL or OID, NDC in any 10- or 11-digit form with or without
 * hyphens (translated through the shipped NDC to RxNorm ConceptMap, {@link NdcMap}), HCPCS under every system URI in
 * use ({@link CodeSystems}), and local codes beside them (ignored, the recognised coding decides). Among the codes,
 * order matters:
 * <ol>
 *   <li>blocker products (naltrexone oral and extended-release, olanzapine/samidorphan, bupropion/naltrexone);</li>
 *   <li>opioid agonists and partial agonists, including agonist products with sequestered naltrexone
 *       (morphine/naltrexone is an opioid, not a blocker: REFERENCE.md §7), long-acting before short-acting, and the
 *       products of {@link ProductTable} (HCPCS administrations, depot and implanted buprenorphine);</li>
 *   <li>a bare naltrexone ingredient code: the formulation from dose form, route, strength and dose together (a
 *       380 mg dose is the injection whatever the route says; {@link MedicationNames#naltrexoneFormulation});</li>
 *   <li>reversal agents (naloxone, nalmefene), which do not block (REFERENCE.md §7).</li>
 * </ol>
 * Then, when no code is known, the names in the text and code displays ({@link MedicationNames}), marked
 * {@link RecognisedFrom#TEXT}. A record that names naltrexone or an opioid but cannot be classified is
 * {@link DrugClass#UNCLASSIFIED}, with what could not be read.
 *
 * <p>How long one administration lasts comes with the product: {@link ProductTable} (Sublocade and Brixadi monthly or
 * weekly, the 6-month buprenorphine implant), or the duration in an RxNorm transdermal name ("72 HR", "168 HR").
 */
public final class MedicationClassifier {

    private static final Code NALTREXONE_XR_380 = Code.rxnorm("637213");
    private static final Code NALTREXONE_ORAL_50 = Code.rxnorm("1483744");
    private static final Set<Code> SAMIDORPHAN_COMBINATIONS = Set.of(Code.rxnorm("2570392"), Code.rxnorm("2570399"),
            Code.rxnorm("2570402"), Code.rxnorm("2570405"));
    private static final Code BUPROPION_NALTREXONE = Code.rxnorm("1551468");
    private static final Code NALTREXONE_INGREDIENT = Code.rxnorm("7243");
    /** Methadone and buprenorphine ingredients: the long opioid-free window applies (REFERENCE.md §2). */
    private static final Set<Code> LONG_ACTING_INGREDIENTS = Set.of(Code.rxnorm("6813"), Code.rxnorm("1819"));
    private static final Set<Code> REVERSAL_AGENTS = Set.of(Code.rxnorm("7242"), Code.rxnorm("1191222"),
            Code.rxnorm("1725059"), Code.rxnorm("199059"), Code.rxnorm("2592953"), Code.rxnorm("2639721"));
    /** Methadone maintenance is dosed once a day: one administration covers a day (design choice from the daily
     * dosing of opioid treatment programmes; methadone labels dose it once daily for maintenance). */
    private static final Code METHADONE = Code.rxnorm("6813");
    private static final Pattern TRANSDERMAL_HOURS = Pattern.compile("^(\\d{2,3}) HR .*Transdermal",
            Pattern.CASE_INSENSITIVE);

    private final CodeSet opioidAgonists;
    private final CodeSet sequesteredAntagonistAgonists;
    private final CodeSet longActingOpioids;
    private final ValueSetIndex valueSets;
    private final NdcMap ndcs;
    private final ProductTable products;

    MedicationClassifier(ValueSetIndex valueSets, NdcMap ndcs, ProductTable products) {
        this.valueSets = valueSets;
        this.opioidAgonists = valueSets.get(ValueSets.OPIOID_AGONISTS);
        this.sequesteredAntagonistAgonists = valueSets.get(ValueSets.OPIOID_AGONISTS_WITH_SEQUESTERED_ANTAGONIST);
        this.longActingOpioids = valueSets.get(ValueSets.LONG_ACTING_OPIOIDS);
        this.ndcs = ndcs;
        this.products = products;
    }

    /**
     * The class of a medication known only by codes and route (the shape of the first releases' callers).
     *
     * @param codes the product and ingredient codes of one medication
     * @param route the route as text, when known
     */
    public DrugClass classify(Collection<Code> codes, Optional<String> route) {
        return recognise(MedicationDescription.ofCodes(codes, route)).drugClass();
    }

    /** Everything the record says, read codes first and text last. */
    public MedicationRecognition recognise(MedicationDescription medication) {
        Set<Code> codes = translated(medication.codes());
        Optional<BigDecimal> mg = medication.doseMg().or(medication::strengthMg);
        String formAndRoute = Stream.concat(Stream.of(medication.doseForm(), medication.route())
                        .flatMap(Optional::stream), medication.texts().stream())
                .collect(Collectors.joining(" "));
        Optional<DrugClass> coded = codedClass(codes, mg, formAndRoute);
        if (coded.isPresent()) {
            DrugClass drugClass = coded.get();
            Optional<String> unreadable = drugClass == DrugClass.UNCLASSIFIED
                    ? Optional.of("names naltrexone (ingredient code) in a form no product has: " + formAndRoute)
                    : Optional.empty();
            Optional<Duration> exposure = drugClass.isOpioid()
                    ? codedExposure(codes).or(() -> MedicationNames.exposurePerUse(formAndRoute, mg))
                    : Optional.empty();
            return new MedicationRecognition(drugClass, RecognisedFrom.CODES, exposure, codes, unreadable);
        }
        String text = String.join(" ; ", Stream.concat(medication.texts().stream(),
                Stream.of(medication.doseForm(), medication.route()).flatMap(Optional::stream)).toList());
        Optional<MedicationNames.TextMatch> named = medication.texts().isEmpty() ? Optional.empty()
                : MedicationNames.recognise(text, mg);
        if (named.isPresent()) {
            MedicationNames.TextMatch match = named.get();
            return new MedicationRecognition(match.drugClass(), RecognisedFrom.TEXT, match.exposurePerUse(), codes,
                    match.unreadable());
        }
        return new MedicationRecognition(DrugClass.OTHER, RecognisedFrom.CODES, Optional.empty(), codes,
                Optional.empty());
    }

    /** The codes in the systems our data uses, plus the RxNorm concept of each NDC we know. */
    private Set<Code> translated(Collection<Code> codes) {
        Set<Code> out = new LinkedHashSet<>();
        for (Code code : codes) {
            Code canonical = CodeSystems.canonical(code);
            out.add(canonical);
            if (Ndc.isNdcSystem(code.system())) {
                ndcs.rxnorm(code.value()).ifPresent(out::add);
            }
        }
        return out;
    }

    private Optional<DrugClass> codedClass(Set<Code> codes, Optional<BigDecimal> mg, String formAndRoute) {
        if (codes.contains(NALTREXONE_XR_380)) {
            return Optional.of(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        }
        if (codes.contains(NALTREXONE_ORAL_50)) {
            return Optional.of(DrugClass.NALTREXONE_ORAL);
        }
        Optional<DrugClass> blockerProduct = codes.stream().flatMap(c -> products.get(c).stream())
                .map(ProductTable.Product::drugClass).filter(DrugClass::blocksOpioids)
                .findFirst();
        if (blockerProduct.isPresent()) {
            return blockerProduct;
        }
        if (codes.stream().anyMatch(SAMIDORPHAN_COMBINATIONS::contains)) {
            return Optional.of(DrugClass.SAMIDORPHAN_COMBINATION);
        }
        if (codes.contains(BUPROPION_NALTREXONE)) {
            return Optional.of(DrugClass.BUPROPION_NALTREXONE);
        }
        if (sequesteredAntagonistAgonists.containsAny(codes)) {
            // The sequestered-antagonist products are all extended-release (Embeda, Troxyca).
            return Optional.of(DrugClass.OPIOID_LONG_ACTING);
        }
        Optional<DrugClass> opioidProduct = codes.stream().flatMap(c -> products.get(c).stream())
                .map(ProductTable.Product::drugClass).filter(DrugClass::isOpioid).findFirst();
        if (opioidProduct.isPresent()) {
            return opioidProduct;
        }
        if (opioidAgonists.containsAny(codes) || longActingOpioids.containsAny(codes)) {
            return Optional.of(longActingOpioids.containsAny(codes)
                    || codes.stream().anyMatch(LONG_ACTING_INGREDIENTS::contains)
                    ? DrugClass.OPIOID_LONG_ACTING
                    : DrugClass.OPIOID_SHORT_ACTING);
        }
        if (codes.contains(NALTREXONE_INGREDIENT)) {
            return Optional.of(MedicationNames.naltrexoneFormulation(mg, formAndRoute));
        }
        if (codes.stream().anyMatch(REVERSAL_AGENTS::contains)) {
            return Optional.of(DrugClass.OPIOID_REVERSAL_AGENT);
        }
        return Optional.empty();
    }

    /** One administration's duration from the product table, else from an RxNorm transdermal name. */
    private Optional<Duration> codedExposure(Set<Code> codes) {
        Optional<Duration> fromTable = codes.stream().flatMap(c -> products.get(c).stream())
                .flatMap(p -> p.exposurePerUse().stream()).findFirst();
        if (fromTable.isPresent()) {
            return fromTable;
        }
        Optional<Duration> patch = codes.stream().flatMap(c -> valueSets.display(c).stream())
                .map(TRANSDERMAL_HOURS::matcher).filter(Matcher::find)
                .map(m -> Duration.ofHours(Long.parseLong(m.group(1)))).findFirst();
        if (patch.isPresent()) {
            return patch;
        }
        boolean methadone = codes.contains(METHADONE) || codes.stream().flatMap(c -> valueSets.display(c).stream())
                .anyMatch(display -> display.toLowerCase(java.util.Locale.ROOT).contains("methadone"));
        return methadone ? Optional.of(Duration.ofDays(1)) : Optional.empty();
    }
}
