package org.ntx.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ntx.timeline.Code;
import org.ntx.timeline.ConditionClass;
import org.ntx.timeline.ConditionRecord;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.LabTest;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.ntx.timeline.RecognisedFrom;
import org.ntx.timeline.SourceRef;

/**
 * The compact event notation of the scenario tables, read into a timeline. Days are offsets from {@link #AS_OF}
 * (same time of day), entries are separated by {@code ;}.
 *
 * <pre>
 * xr-naltrexone given@-9                 injection administered 9 days ago (completed)
 * naltrexone dispensed@-5 30d 100mg      oral naltrexone dispensed 5 days ago, 30 days' supply, 100 mg doses
 * oxycodone ordered@-3 5d cancelled      order with 5 days' expected supply, status cancelled
 * buprenorphine ordered@-60 until@+30    active order with validity period ending in 30 days
 * naltrexone taking@-60 / took@-60       statement, active / completed
 * ALT@-10=250/56   AST@-3=35             liver test value (U/L), optionally "/ULN" from the reference range
 * ALT@-2=>1000   ALT@-2=absent reason=error   a value above the assay's range; no value (dataAbsentReason)
 * ALT@-10=4.5 unit=ukat/L                a value in another unit (converted to U/L as UCUM does)
 * opioid-screen@-2=positive              urine drug screen
 * acute-hepatitis@-20 resolved           condition, active unless a status word says otherwise
 * unavailable:observations               the fetch of that kind failed
 * other-patient:oxycodone given@-1       an entry whose subject is another patient
 * text:oxycodone ordered@-3              recognised from its text only, not its codes (drafts too: text:oxycodone)
 * sublocade given@-25                    a product whose one administration lasts (depot 28 d, implant 182 d, ...)
 * buprenorphine-implant given@-60 until@-10   an implant removed 10 days ago
 * oxycodone ordered@-100 30d refills=2   an order allowing two refills after the first fill
 * </pre>
 * Status words (completed, active, stopped, cancelled, entered-in-error, draft, on-hold, not-done, preliminary,
 * amended, resolved, inactive, refuted, provisional) override the default status. Drafts are written as
 * {@code drug [NNNmg] [status]}. Anything unrecognised fails the test, so a typo cannot silently pass.
 */
final class TimelineNotation {

    static final Instant AS_OF = Instant.parse("2026-03-15T12:00:00Z");
    static final String PATIENT = "patient-1";
    static final String OTHER_PATIENT = "patient-2";

    private static final Map<String, Drug> DRUGS = Map.ofEntries(
            Map.entry("xr-naltrexone", new Drug(DrugClass.NALTREXONE_EXTENDED_RELEASE, "naltrexone 380 MG Injection",
                    "637213")),
            Map.entry("naltrexone", new Drug(DrugClass.NALTREXONE_ORAL, "naltrexone hydrochloride 50 MG Oral Tablet",
                    "1483744")),
            Map.entry("olanzapine-samidorphan", new Drug(DrugClass.SAMIDORPHAN_COMBINATION,
                    "olanzapine 10 MG / samidorphan 10 MG Oral Tablet", "2570399")),
            Map.entry("bupropion-naltrexone", new Drug(DrugClass.BUPROPION_NALTREXONE,
                    "bupropion/naltrexone ER Oral Tablet", "1551468")),
            Map.entry("oxycodone", new Drug(DrugClass.OPIOID_SHORT_ACTING, "oxycodone 5 MG Oral Tablet", null)),
            Map.entry("hydrocodone", new Drug(DrugClass.OPIOID_SHORT_ACTING, "hydrocodone/APAP 5/325 MG", "856987")),
            Map.entry("tramadol", new Drug(DrugClass.OPIOID_SHORT_ACTING, "tramadol 50 MG Oral Tablet", "835603")),
            Map.entry("codeine", new Drug(DrugClass.OPIOID_SHORT_ACTING, "codeine/APAP 300/30 MG", "993770")),
            Map.entry("morphine", new Drug(DrugClass.OPIOID_SHORT_ACTING, "morphine 4 MG/ML Injection", null)),
            Map.entry("methadone", new Drug(DrugClass.OPIOID_LONG_ACTING, "methadone 10 MG Oral Tablet", "864706",
                    Duration.ofDays(1))),
            Map.entry("sublocade", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "1.5 ML buprenorphine 200 MG/ML Prefilled Syringe [Sublocade]", "1996193", Duration.ofDays(28))),
            Map.entry("brixadi-weekly", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "0.32 ML buprenorphine 50 MG/ML Prefilled Syringe [Brixadi]", "2639030", Duration.ofDays(7))),
            Map.entry("brixadi-monthly", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "0.27 ML buprenorphine 356 MG/ML Prefilled Syringe [Brixadi]", "2639042", Duration.ofDays(28))),
            Map.entry("buprenorphine-implant", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "buprenorphine 74.2 MG Drug Implant [Probuphine]", "1797655", Duration.ofDays(182))),
            Map.entry("butrans", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "168 HR buprenorphine 0.01 MG/HR Transdermal System [BuTrans]", "904874", Duration.ofDays(7))),
            Map.entry("unreadable-opioid", new Drug(DrugClass.UNCLASSIFIED,
                    "opioid analgesic PRN: mentions an opioid without naming which", null)),
            Map.entry("buprenorphine", new Drug(DrugClass.OPIOID_LONG_ACTING, "buprenorphine/naloxone 8/2 MG Film",
                    "351266")),
            Map.entry("fentanyl-patch", new Drug(DrugClass.OPIOID_LONG_ACTING, "fentanyl 25 MCG/HR Transdermal",
                    "245134", Duration.ofHours(72))),
            Map.entry("morphine-naltrexone", new Drug(DrugClass.OPIOID_LONG_ACTING,
                    "morphine/naltrexone ER Oral Capsule (Embeda)", "863845")),
            Map.entry("naloxone", new Drug(DrugClass.OPIOID_REVERSAL_AGENT, "naloxone 4 MG Nasal Spray", null)),
            Map.entry("ibuprofen", new Drug(DrugClass.OTHER, "ibuprofen 400 MG Oral Tablet", null)),
            Map.entry("acamprosate", new Drug(DrugClass.OTHER, "acamprosate 333 MG Oral Tablet", null)));

    private static final Map<String, LabTest> LAB_TESTS = Map.of(
            "ALT", LabTest.ALT, "AST", LabTest.AST, "bilirubin", LabTest.TOTAL_BILIRUBIN,
            "ALP", LabTest.ALKALINE_PHOSPHATASE, "GGT", LabTest.GGT, "panel", LabTest.HEPATIC_FUNCTION_PANEL,
            "opioid-screen", LabTest.OPIOID_URINE_SCREEN);

    private static final Map<String, ConditionClass> CONDITIONS = Map.of(
            "acute-hepatitis", ConditionClass.ACUTE_HEPATITIS, "liver-failure", ConditionClass.LIVER_FAILURE,
            "cirrhosis", ConditionClass.CIRRHOSIS, "opioid-use-disorder", ConditionClass.OPIOID_USE_DISORDER);

    private static final Pattern MEDICATION_WHEN = Pattern.compile("(given|dispensed|ordered|taking|took)@([+-]?\\d+)");
    private static final Pattern LAB = Pattern.compile("([\\w-]+)@([+-]?\\d+)=(<=|>=|<|>)?([\\w.]+)(?:/([\\d.]+))?");
    private static final Pattern REASON = Pattern.compile("reason=(\\S+)");
    /** What the terminology layer's UCUM conversion gives for these units (1 ukat = 60 U: 1 U = 1 umol/min). */
    private static final Map<String, BigDecimal> UNITS_PER_LITRE = Map.of("U/L", BigDecimal.ONE, "IU/L", BigDecimal.ONE,
            "[IU]/L", BigDecimal.ONE, "ukat/L", BigDecimal.valueOf(60), "nkat/L", new BigDecimal("0.06"));
    private static final Pattern CONDITION = Pattern.compile("([\\w-]+)@([+-]?\\d+)");
    private static final Pattern SUPPLY = Pattern.compile("(\\d+)d");
    private static final Pattern DOSE = Pattern.compile("([\\d.]+)mg");
    private static final Pattern UNTIL = Pattern.compile("until@([+-]?\\d+)");
    private static final Pattern UNIT = Pattern.compile("unit=(\\S+)");
    private static final Pattern REFILLS = Pattern.compile("refills=(\\d+)");

    private final Instant asOf;
    private int nextId = 1;

    TimelineNotation(Instant asOf) {
        this.asOf = asOf;
    }

    TimelineNotation() {
        this(AS_OF);
    }

    Instant day(int offset) {
        return asOf.plus(Duration.ofDays(offset));
    }

    PatientTimeline timeline(String notation) {
        List<MedicationEvent> medications = new ArrayList<>();
        List<LabResult> labs = new ArrayList<>();
        List<ConditionRecord> conditions = new ArrayList<>();
        Set<DataKind> unavailable = EnumSet.noneOf(DataKind.class);
        for (String entry : entries(notation)) {
            if (entry.startsWith("unavailable:")) {
                unavailable.add(DataKind.valueOf(entry.substring("unavailable:".length()).toUpperCase(Locale.ROOT)));
                continue;
            }
            String patient = entry.startsWith("other-patient:") ? OTHER_PATIENT : PATIENT;
            String[] tokens = entry.replaceFirst("^other-patient:", "").trim().split("\\s+");
            if (DRUGS.containsKey(tokens[0].replaceFirst("^text:", ""))) {
                medications.add(medication(patient, tokens));
            } else if (LAB.matcher(tokens[0]).matches()) {
                labs.add(lab(patient, tokens));
            } else if (CONDITION.matcher(tokens[0]).matches()) {
                conditions.add(condition(patient, tokens));
            } else {
                throw new IllegalArgumentException("unrecognised timeline entry: " + entry);
            }
        }
        return new PatientTimeline(PATIENT, medications, labs, conditions, unavailable);
    }

    List<MedicationEvent> drafts(String notation) {
        List<MedicationEvent> drafts = new ArrayList<>();
        for (String entry : entries(notation)) {
            String patient = entry.startsWith("other-patient:") ? OTHER_PATIENT : PATIENT;
            String[] tokens = entry.replaceFirst("^other-patient:", "").trim().split("\\s+");
            boolean text = tokens[0].startsWith("text:");
            Drug drug = drug(tokens[0].replaceFirst("^text:", ""));
            MedicationAttributes attributes = attributes(tokens, 1, MedicationEvent.Status.DRAFT);
            drafts.add(new MedicationEvent(patient, new SourceRef("MedicationRequest", "draft-" + nextId++),
                    MedicationEvent.Kind.ORDER, attributes.status(), drug.drugClass(), drug.display(),
                    text ? Set.of() : drug.codes(), asOf, attributes.end(), attributes.daysSupply(),
                    attributes.doseMg(), Optional.of("oral"), text ? RecognisedFrom.TEXT : RecognisedFrom.CODES,
                    drug.exposure(), attributes.refills()));
        }
        return drafts;
    }

    private MedicationEvent medication(String patient, String[] tokens) {
        boolean text = tokens[0].startsWith("text:");
        Drug drug = drug(tokens[0].replaceFirst("^text:", ""));
        if (tokens.length < 2) {
            throw new IllegalArgumentException("medication needs verb@day: " + String.join(" ", tokens));
        }
        Matcher when = MEDICATION_WHEN.matcher(tokens[1]);
        if (!when.matches()) {
            throw new IllegalArgumentException("expected given|dispensed|ordered|taking|took@day: " + tokens[1]);
        }
        MedicationEvent.Kind kind = switch (when.group(1)) {
            case "given" -> MedicationEvent.Kind.ADMINISTRATION;
            case "dispensed" -> MedicationEvent.Kind.DISPENSE;
            case "ordered" -> MedicationEvent.Kind.ORDER;
            default -> MedicationEvent.Kind.STATEMENT;
        };
        MedicationEvent.Status defaultStatus = switch (when.group(1)) {
            case "ordered", "taking" -> MedicationEvent.Status.ACTIVE;
            default -> MedicationEvent.Status.COMPLETED;
        };
        String resourceType = switch (kind) {
            case ADMINISTRATION -> "MedicationAdministration";
            case DISPENSE -> "MedicationDispense";
            case ORDER -> "MedicationRequest";
            case STATEMENT -> "MedicationStatement";
        };
        MedicationAttributes attributes = attributes(tokens, 2, defaultStatus);
        return new MedicationEvent(patient, new SourceRef(resourceType, "m" + nextId++), kind, attributes.status(),
                drug.drugClass(), drug.display(), text ? Set.of() : drug.codes(), day(Integer.parseInt(when.group(2))),
                attributes.end(), attributes.daysSupply(), attributes.doseMg(), Optional.empty(),
                text ? RecognisedFrom.TEXT : RecognisedFrom.CODES, drug.exposure(), attributes.refills());
    }

    private MedicationAttributes attributes(String[] tokens, int from, MedicationEvent.Status defaultStatus) {
        MedicationEvent.Status status = defaultStatus;
        Optional<Integer> supply = Optional.empty();
        Optional<BigDecimal> dose = Optional.empty();
        Optional<Instant> end = Optional.empty();
        Optional<Integer> refills = Optional.empty();
        for (int i = from; i < tokens.length; i++) {
            String token = tokens[i];
            Matcher matcher;
            if ((matcher = REFILLS.matcher(token)).matches()) {
                refills = Optional.of(Integer.parseInt(matcher.group(1)));
            } else if ((matcher = SUPPLY.matcher(token)).matches()) {
                supply = Optional.of(Integer.parseInt(matcher.group(1)));
            } else if ((matcher = DOSE.matcher(token)).matches()) {
                dose = Optional.of(new BigDecimal(matcher.group(1)));
            } else if ((matcher = UNTIL.matcher(token)).matches()) {
                end = Optional.of(day(Integer.parseInt(matcher.group(1))));
            } else {
                status = MedicationEvent.Status.valueOf(constant(token));
            }
        }
        return new MedicationAttributes(status, supply, dose, end, refills);
    }

    private LabResult lab(String patient, String[] tokens) {
        Matcher matcher = LAB.matcher(tokens[0]);
        matcher.matches();
        LabTest test = LAB_TESTS.get(matcher.group(1));
        if (test == null) {
            throw new IllegalArgumentException("unknown lab test: " + matcher.group(1));
        }
        LabResult.Status status = LabResult.Status.FINAL;
        Optional<String> unit = test == LabTest.OPIOID_URINE_SCREEN ? Optional.empty()
                : Optional.of(test == LabTest.TOTAL_BILIRUBIN ? "mg/dL" : "U/L");
        Optional<String> reason = Optional.empty();
        for (int i = 1; i < tokens.length; i++) {
            Matcher unitMatcher = UNIT.matcher(tokens[i]);
            Matcher reasonMatcher = REASON.matcher(tokens[i]);
            if (unitMatcher.matches()) {
                unit = Optional.of(unitMatcher.group(1));
            } else if (reasonMatcher.matches()) {
                reason = Optional.of(reasonMatcher.group(1));
            } else {
                status = LabResult.Status.valueOf(constant(tokens[i]));
            }
        }
        String result = matcher.group(4);
        Optional<LabResult.ScreenResult> screen = Optional.empty();
        Optional<BigDecimal> value = Optional.empty();
        if (result.equals("positive") || result.equals("negative")) {
            screen = Optional.of(LabResult.ScreenResult.valueOf(constant(result)));
        } else if (!result.equals("absent")) {
            value = Optional.of(new BigDecimal(result));
        }
        Optional<BigDecimal> upperLimit = Optional.ofNullable(matcher.group(5)).map(BigDecimal::new);
        Optional<BigDecimal> factor = test == LabTest.ALT || test == LabTest.AST
                ? unit.map(UNITS_PER_LITRE::get) : Optional.empty();
        return new LabResult(patient, new SourceRef("Observation", "o" + nextId++), test, matcher.group(1), status,
                day(Integer.parseInt(matcher.group(2))), value, unit, upperLimit, screen,
                LabResult.Comparator.of(matcher.group(3)), factor, value.isPresent() ? Optional.empty() : reason);
    }

    private ConditionRecord condition(String patient, String[] tokens) {
        Matcher matcher = CONDITION.matcher(tokens[0]);
        matcher.matches();
        ConditionClass conditionClass = CONDITIONS.get(matcher.group(1));
        if (conditionClass == null) {
            throw new IllegalArgumentException("unknown condition: " + matcher.group(1));
        }
        ConditionRecord.ClinicalStatus clinical = ConditionRecord.ClinicalStatus.ACTIVE;
        ConditionRecord.Verification verification = ConditionRecord.Verification.CONFIRMED;
        for (int i = 1; i < tokens.length; i++) {
            String word = constant(tokens[i]);
            if (Set.of("REFUTED", "ENTERED_IN_ERROR", "PROVISIONAL", "UNCONFIRMED").contains(word)) {
                verification = ConditionRecord.Verification.valueOf(word);
            } else {
                clinical = ConditionRecord.ClinicalStatus.valueOf(word);
            }
        }
        return new ConditionRecord(patient, new SourceRef("Condition", "c" + nextId++), conditionClass,
                matcher.group(1).replace('-', ' '), clinical, verification,
                Optional.of(day(Integer.parseInt(matcher.group(2)))));
    }

    private static Drug drug(String name) {
        Drug drug = DRUGS.get(name);
        if (drug == null) {
            throw new IllegalArgumentException("unknown drug: " + name + " (known: " + DRUGS.keySet() + ")");
        }
        return drug;
    }

    private static List<String> entries(String notation) {
        if (notation == null || notation.isBlank()) {
            return List.of();
        }
        return List.of(notation.split(";")).stream().map(String::trim).filter(entry -> !entry.isEmpty()).toList();
    }

    private static String constant(String word) {
        return word.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private record Drug(DrugClass drugClass, String display, String rxnorm, Optional<Duration> exposure) {
        Drug(DrugClass drugClass, String display, String rxnorm) {
            this(drugClass, display, rxnorm, Optional.empty());
        }

        Drug(DrugClass drugClass, String display, String rxnorm, Duration exposure) {
            this(drugClass, display, rxnorm, Optional.of(exposure));
        }

        Set<Code> codes() {
            return rxnorm == null ? Set.of() : Set.of(Code.rxnorm(rxnorm));
        }
    }

    private record MedicationAttributes(MedicationEvent.Status status, Optional<Integer> daysSupply,
            Optional<BigDecimal> doseMg, Optional<Instant> end, Optional<Integer> refills) {
    }
}
