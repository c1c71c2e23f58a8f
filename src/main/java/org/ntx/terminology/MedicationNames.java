package org.ntx.terminology;

import org.ntx.timeline.DrugClass;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last resort: ingredient and brand names in a medication's text and code displays. Brands are the US ones
 * clinicians write (Vivitrol, Revia, Depade, Contrave, Lybalvi; Percocet, Norco, OxyContin, Dilaudid, Duragesic,
 * Suboxone, Subutex, Sublocade, Brixadi, Probuphine, Zubsolv, Butrans, Belbuca, Methadose, Dolophine, Ultram, Nucynta,
 * MS Contin, ...). A name that says "opioid", "opiate" or "narcotic" without saying which, or a naltrexone text that
 * names an opioid too or a form no US product has (an implant), cannot be classified and says so.
 */
final class MedicationNames {

    record TextMatch(DrugClass drugClass, Optional<Duration> exposurePerUse, Optional<String> unreadable) {
        static TextMatch of(DrugClass drugClass) {
            return new TextMatch(drugClass, Optional.empty(), Optional.empty());
        }
    }

    private static final Pattern SEQUESTERED = word("embeda|troxyca");
    private static final Pattern BUPRENORPHINE_NALOXONE = word("suboxone|zubsolv|bunavail");
    private static final Pattern LONG_ACTING_INGREDIENTS = word("methadone|methadose|dolophine|diskets|buprenorphine"
            + "|subutex|sublocade|brixadi|probuphine|butrans|belbuca|buprenex|levomethadyl|laam");
    private static final Pattern LONG_ACTING_BRANDS = word("oxycontin|ms ?contin|hysingla|zohydro|xtampza|kadian"
            + "|avinza|arymo|exalgo|duragesic|conzip|nucynta er|opana er|morphabond");
    private static final Pattern SHORT_ACTING = word("morphine|codeine|hydrocodone|oxycodone|hydromorphone"
            + "|oxymorphone|fentanyl|fentanil|sufentanil|alfentanil|remifentanil|meperidine|pethidine|tramadol"
            + "|tapentadol|levorphanol|dihydrocodeine|opium|paregoric|propoxyphene|butorphanol|nalbuphine|pentazocine"
            + "|heroin|diamorphine|diacetylmorphine|benzhydrocodone|carfentanil|percocet|percodan|endocet|roxicet"
            + "|norco|vicodin|lortab|lorcet|xodol|verdrocet|dilaudid|ultram|ultracet|nucynta|roxicodone|oxaydo"
            + "|roxybond|demerol|actiq|fentora|abstral|lazanda|subsys|sublimaze|apadaz|opana|stadol|talwin|tylenol"
            + " (with|w) codeine|tylenol (#|no )?[34]");
    private static final Pattern EXTENDED_RELEASE = word("extended release|extended-release|er|xr|sr|cr|la|12 hr"
            + "|24 hr|12 hour|24 hour|transdermal|patch|depot");
    private static final Pattern REVERSAL = word("naloxone|narcan|nalmefene|kloxxado|zimhi|opvee|evzio|revex"
            + "|rextovy|zurnai");
    private static final Pattern NALTREXONE = word("naltrexone|naltrexon|xr-ntx|vivitrol|revia|depade");
    private static final Pattern BUPROPION_NALTREXONE = word("contrave|mysimba");
    private static final Pattern BUPROPION = word("bupropion");
    private static final Pattern SAMIDORPHAN = word("samidorphan|lybalvi");
    private static final Pattern VIVITROL = word("vivitrol|xr-ntx");
    private static final Pattern REVIA = word("revia|depade");
    private static final Pattern GENERIC_OPIOID = word("opioid|opioids|opiate|opiates|narcotic|narcotics");
    private static final Pattern NOT_OPIOID = word("non-opioid|nonopioid|non opioid|non-narcotic|nonnarcotic"
            + "|opioid antagonist|opioid-free|opioid free");
    private static final Pattern INJECTION = word("inject|injection|injectable|suspension|intramuscular|im|i m"
            + "|depot|microspheres?|extended release injectable");
    private static final Pattern ORAL = word("tablet|tablets|tab|oral|po|by mouth|capsule");
    private static final Pattern IMPLANT = word("implant|implants|pellet|pellets");
    private static final Pattern PATCH = word("patch|patches|transdermal|system");
    private static final Pattern HOURS = Pattern.compile("\\b(\\d{2,3}) ?(hr|hour)s?\\b");
    private static final Pattern WEEKLY = word("weekly|week|50 mg/ml");
    private static final Pattern MILLIGRAMS = Pattern.compile("\\b(\\d+(?:\\.\\d+)?) ?mg\\b");

    private static final BigDecimal INJECTION_DOSE = BigDecimal.valueOf(300);
    private static final BigDecimal LARGEST_ORAL_DOSE = BigDecimal.valueOf(150);

    private MedicationNames() {
    }

    /** The class the names in {@code text} give, or empty when they name nothing relevant. */
    static Optional<TextMatch> recognise(String text, Optional<BigDecimal> milligrams) {
        String t = normalise(text);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Optional<BigDecimal> mg = milligrams.or(() -> firstMilligrams(t));
        boolean naltrexone = NALTREXONE.matcher(t).find();
        boolean agonist = SHORT_ACTING.matcher(t).find() || LONG_ACTING_INGREDIENTS.matcher(t).find()
                || LONG_ACTING_BRANDS.matcher(t).find();
        if (SEQUESTERED.matcher(t).find() || (naltrexone && word("morphine|oxycodone").matcher(t).find())) {
            return Optional.of(TextMatch.of(DrugClass.OPIOID_LONG_ACTING));
        }
        if (BUPRENORPHINE_NALOXONE.matcher(t).find()) {
            return Optional.of(TextMatch.of(DrugClass.OPIOID_LONG_ACTING));
        }
        if (BUPROPION_NALTREXONE.matcher(t).find() || (naltrexone && BUPROPION.matcher(t).find())) {
            return Optional.of(blockerOrConflict(DrugClass.BUPROPION_NALTREXONE, agonist, text));
        }
        if (SAMIDORPHAN.matcher(t).find()) {
            return Optional.of(blockerOrConflict(DrugClass.SAMIDORPHAN_COMBINATION, agonist, text));
        }
        if (naltrexone) {
            if (agonist) {
                return Optional.of(unreadable("names naltrexone and an opioid together: '" + text.strip() + "'"));
            }
            if (VIVITROL.matcher(t).find()) {
                return Optional.of(TextMatch.of(DrugClass.NALTREXONE_EXTENDED_RELEASE));
            }
            if (REVIA.matcher(t).find()) {
                return Optional.of(TextMatch.of(DrugClass.NALTREXONE_ORAL));
            }
            DrugClass formulation = naltrexoneFormulation(mg, t);
            return Optional.of(formulation == DrugClass.UNCLASSIFIED
                    ? unreadable("names naltrexone in a form no product has (" + text.strip() + ")")
                    : TextMatch.of(formulation));
        }
        if (agonist) {
            boolean longActing = LONG_ACTING_INGREDIENTS.matcher(t).find() || LONG_ACTING_BRANDS.matcher(t).find()
                    || EXTENDED_RELEASE.matcher(t).find();
            return Optional.of(new TextMatch(longActing ? DrugClass.OPIOID_LONG_ACTING : DrugClass.OPIOID_SHORT_ACTING,
                    exposurePerUse(t, mg), Optional.empty()));
        }
        if (REVERSAL.matcher(t).find()) {
            return Optional.of(TextMatch.of(DrugClass.OPIOID_REVERSAL_AGENT));
        }
        if (GENERIC_OPIOID.matcher(t).find() && !NOT_OPIOID.matcher(t).find()) {
            return Optional.of(unreadable("mentions an opioid without naming which: '" + text.strip() + "'"));
        }
        return Optional.empty();
    }

    /**
     * Oral or extended-release naltrexone from what the record says: a dose or strength of 300 mg or more is the
     * 380 mg injection whatever the route field says; 150 mg or less is a tablet dose (REFERENCE.md §1: 25-150 mg
     * oral schedules); otherwise the dose form and route decide; a bare ingredient is read as oral, the labelled
     * 50 mg daily. An implant or pellet is no US product: unclassified.
     */
    static DrugClass naltrexoneFormulation(Optional<BigDecimal> stated, String formAndRoute) {
        String t = normalise(formAndRoute);
        Optional<BigDecimal> mg = stated.or(() -> firstMilligrams(t));
        if (mg.filter(dose -> dose.compareTo(INJECTION_DOSE) >= 0).isPresent()) {
            return DrugClass.NALTREXONE_EXTENDED_RELEASE;
        }
        if (IMPLANT.matcher(t).find()) {
            return DrugClass.UNCLASSIFIED;
        }
        if (mg.filter(dose -> dose.signum() > 0 && dose.compareTo(LARGEST_ORAL_DOSE) <= 0).isPresent()) {
            return DrugClass.NALTREXONE_ORAL;
        }
        if (INJECTION.matcher(t).find() || VIVITROL.matcher(t).find()) {
            return DrugClass.NALTREXONE_EXTENDED_RELEASE;
        }
        return DrugClass.NALTREXONE_ORAL;
    }

    /** How long one use of an opioid product lasts, from its name: depots, implants, patches. */
    static Optional<Duration> exposurePerUse(String text, Optional<BigDecimal> mg) {
        String t = normalise(text);
        if (word("sublocade").matcher(t).find()) {
            return Optional.of(Duration.ofDays(28));
        }
        if (word("brixadi").matcher(t).find()) {
            boolean weekly = WEEKLY.matcher(t).find()
                    || mg.filter(dose -> dose.compareTo(BigDecimal.valueOf(32)) <= 0).isPresent();
            return Optional.of(Duration.ofDays(weekly ? 7 : 28));
        }
        if (word("probuphine").matcher(t).find() || (word("buprenorphine").matcher(t).find()
                && IMPLANT.matcher(t).find())) {
            return Optional.of(Duration.ofDays(182));
        }
        if (word("methadone|methadose|dolophine|diskets").matcher(t).find()) {
            return Optional.of(Duration.ofDays(1));
        }
        if (PATCH.matcher(t).find() || word("duragesic|butrans").matcher(t).find()) {
            Matcher hours = HOURS.matcher(t);
            if (hours.find()) {
                return Optional.of(Duration.ofHours(Long.parseLong(hours.group(1))));
            }
            if (word("butrans").matcher(t).find() || word("buprenorphine").matcher(t).find()) {
                return Optional.of(Duration.ofDays(7));
            }
            if (word("fentanyl|duragesic").matcher(t).find()) {
                return Optional.of(Duration.ofHours(72));
            }
        }
        return Optional.empty();
    }

    private static TextMatch blockerOrConflict(DrugClass blocker, boolean agonist, String text) {
        return agonist ? unreadable("names an opioid blocker and an opioid together: '" + text.strip() + "'")
                : TextMatch.of(blocker);
    }

    private static TextMatch unreadable(String why) {
        return new TextMatch(DrugClass.UNCLASSIFIED, Optional.empty(), Optional.of(why));
    }

    private static Optional<BigDecimal> firstMilligrams(String t) {
        Matcher m = MILLIGRAMS.matcher(t);
        return m.find() ? Optional.of(new BigDecimal(m.group(1))) : Optional.empty();
    }

    static String normalise(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[\\[\\](),;:_]", " ")
                .replaceAll("\\s+", " ").trim();
    }

    private static Pattern word(String alternatives) {
        return Pattern.compile("(?<![a-z0-9])(" + alternatives + ")(?![a-z0-9])");
    }
}
