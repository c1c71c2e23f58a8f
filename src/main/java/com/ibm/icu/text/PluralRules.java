package com.ibm.icu.text;

import java.util.Locale;
import java.util.Set;

/**
 * Stands in for ICU4J's class of this name, which is 15 MB of Unicode data (icu4j is excluded from the build): HL7's
 * message formatter ({@code org.hl7.fhir.utilities.i18n.I18nBase}, behind every validation message) is the only code
 * on the class path that uses ICU, and only these three members of this one class, to pick the plural form of a
 * message ({@code _one} or {@code _other}). This server's validation messages are English, whose rule this is
 * (CLDR: "one" for the integer 1, "other" for every other count). {@code PluralRulesTest} holds it to that.
 */
public final class PluralRules {

    private static final PluralRules ENGLISH = new PluralRules();
    private static final Set<String> KEYWORDS = Set.of("one", "other");

    private PluralRules() {
    }

    /** The English rule, for every locale: the server answers in English. */
    public static PluralRules forLocale(Locale locale) {
        return ENGLISH;
    }

    /** The plural category of a count: "one" for exactly 1, "other" otherwise. */
    public String select(double number) {
        return number == 1 ? "one" : "other";
    }

    public Set<String> getKeywords() {
        return KEYWORDS;
    }
}
