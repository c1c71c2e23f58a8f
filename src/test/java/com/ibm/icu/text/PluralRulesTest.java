package com.ibm.icu.text;

import org.hl7.fhir.utilities.i18n.I18nBase;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** HL7's message formatter, the one user of ICU here, picks its plural forms through this stand-in as through ICU. */
class PluralRulesTest {

    @Test
    void englishCountsAreOneOrOther() {
        PluralRules rules = PluralRules.forLocale(Locale.US);
        assertThat(rules.select(1)).isEqualTo("one");
        assertThat(rules.select(0)).isEqualTo("other");
        assertThat(rules.select(2)).isEqualTo("other");
        assertThat(rules.select(1.5)).isEqualTo("other");
        assertThat(rules.getKeywords()).containsExactlyInAnyOrder("one", "other");
    }

    @Test
    void hl7sValidationMessagesFormatTheirPluralForms() {
        I18nBase messages = new I18nBase() {
        };
        messages.setLocale(Locale.ROOT);
        assertThat(messages.formatMessagePlural(3, I18nConstants.MULTIPLE_LOGICAL_MODELS, 3))
                .isEqualTo("3 Logical Models found in supplied profiles, so unable to parse logical model (can only be"
                        + " one, found 3)");
        assertThat(messages.formatMessagePlural(1, I18nConstants.MULTIPLE_LOGICAL_MODELS, 1)).isEmpty();
    }
}
