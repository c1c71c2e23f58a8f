package org.ntx.terminology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;
import org.ntx.timeline.RecognisedFrom;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Medications as EHRs code them: NDC in every form, HCPCS under every system URI, text, dose form and strength. */
class MedicationRecognitionTest {

    static final MedicationClassifier MEDICATIONS = Terminology.fromClasspath().medications();

    @ParameterizedTest(name = "NDC {0} ({1}) is {2}")
    @CsvSource({
            "65757-0300-01, hyphenated 5-4-2 Vivitrol carton, NALTREXONE_EXTENDED_RELEASE",
            "65757030001, 11 digits, NALTREXONE_EXTENDED_RELEASE",
            "65757-300-01, 5-3-2 as printed on the carton, NALTREXONE_EXTENDED_RELEASE",
            "6575730001, 10 digits without hyphens, NALTREXONE_EXTENDED_RELEASE",
            "0615-8579-39, 4-4-2 naltrexone tablets, NALTREXONE_ORAL",
            "00615857939, the same as 11 digits, NALTREXONE_ORAL",
            "615857939, too short for a package: not read, OTHER",
            "68071-3654-3, 5-4-1 naltrexone tablets, NALTREXONE_ORAL",
            "68071365403, the same as 11 digits, NALTREXONE_ORAL",
            "62135-242, product without package, NALTREXONE_ORAL",
            "12496-0300-1, Sublocade 300 mg, OPIOID_LONG_ACTING",
            "58284-264-01, Brixadi 64 mg, OPIOID_LONG_ACTING",
            "12496-1202-3, Suboxone film, OPIOID_LONG_ACTING",
            "66267-319-30, hydrocodone/acetaminophen 10/325, OPIOID_SHORT_ACTING",
            "59011-410-10, OxyContin 10 mg, OPIOID_LONG_ACTING",
            "50742-550-05, fentanyl 25 mcg/h patch, OPIOID_LONG_ACTING",
            "62559-167-01, oxycodone 5 mg capsule, OPIOID_SHORT_ACTING",
            "99999-9999-99, an NDC we do not know, OTHER"})
    void readsNdcInEveryForm(String ndc, String story, DrugClass expected) {
        for (String system : List.of("http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69")) {
            assertThat(MEDICATIONS.classify(Set.of(new Code(system, ndc)), Optional.empty())).as(story + " " + system)
                    .isEqualTo(expected);
        }
    }

    @Test
    void normalisesTheThreeTenDigitLayoutsToElevenDigits() {
        assertThat(Ndc.elevenDigitCandidates("0615-8579-39")).containsExactly("00615857939");
        assertThat(Ndc.elevenDigitCandidates("65757-300-01")).containsExactly("65757030001");
        assertThat(Ndc.elevenDigitCandidates("68071-3654-3")).containsExactly("68071365403");
        assertThat(Ndc.elevenDigitCandidates("6575730001"))
                .containsExactlyInAnyOrder("06575730001", "65757030001", "65757300001");
        assertThat(Ndc.elevenDigitCandidates("12-34")).isEmpty();
        assertThat(Ndc.elevenDigitCandidates("abc")).isEmpty();
    }

    @ParameterizedTest(name = "J2315 under {0}")
    @CsvSource({"urn:oid:2.16.840.1.113883.6.285", "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
            "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets/",
            "http://terminology.hl7.org/CodeSystem/HCPCS-all-codes", "http://terminology.hl7.org/CodeSystem/HCPCS"})
    void readsTheNaltrexoneDepotJCodeUnderEverySystemUri(String system) {
        assertThat(MEDICATIONS.classify(Set.of(new Code(system, "J2315")), Optional.empty()))
                .isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(MEDICATIONS.classify(Set.of(new Code(system, "j2315")), Optional.empty()))
                .as("lower case").isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
    }

    @Test
    void aLocalCodeBesideARecognisedCodingDoesNotMatter() {
        MedicationRecognition r = MEDICATIONS.recognise(MedicationDescription.ofCodes(Set.of(
                new Code("urn:oid:1.2.840.114350.1.13.0.1.7.2.698288", "12345"), Code.rxnorm("637213")),
                Optional.empty()));
        assertThat(r.drugClass()).isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(r.recognisedFrom()).isEqualTo(RecognisedFrom.CODES);
    }

    @ParameterizedTest(name = "HCPCS {0}: {1}, one administration lasts {2}")
    @CsvSource({"Q9991, OPIOID_LONG_ACTING, P28D", "Q9992, OPIOID_LONG_ACTING, P28D",
            "J0577, OPIOID_LONG_ACTING, P7D", "J0578, OPIOID_LONG_ACTING, P28D", "J0570, OPIOID_LONG_ACTING, P182D",
            "H0020, OPIOID_LONG_ACTING, P1D"})
    void depotAndImplantCodesCarryTheirDuration(String hcpcs, DrugClass expected, String exposure) {
        MedicationRecognition r = MEDICATIONS.recognise(MedicationDescription.ofCodes(
                Set.of(new Code("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", hcpcs)), Optional.empty()));
        assertThat(r.drugClass()).isEqualTo(expected);
        assertThat(r.exposurePerUse()).contains(Duration.parse(exposure));
    }

    @ParameterizedTest(name = "RxNorm {0} lasts {1}")
    @CsvSource({"1996193, P28D", "2639027, P7D", "2639039, P28D", "1797655, P182D", "245134, PT72H",
            "904882, PT168H"})
    void rxnormDepotImplantAndPatchProductsCarryTheirDuration(String rxcui, String exposure) {
        MedicationRecognition r = MEDICATIONS.recognise(MedicationDescription.ofCodes(Set.of(Code.rxnorm(rxcui)),
                Optional.empty()));
        assertThat(r.drugClass()).isEqualTo(DrugClass.OPIOID_LONG_ACTING);
        assertThat(r.exposurePerUse()).contains(Duration.parse(exposure));
    }

    @ParameterizedTest(name = "branded and packaged RxNorm {0} ({1}) is {2}")
    @CsvSource({"1049625, Percocet SBD, OPIOID_SHORT_ACTING", "1010603, Suboxone SBD, OPIOID_LONG_ACTING",
            "1864414, Zubsolv SBD, OPIOID_LONG_ACTING", "1716079, Belbuca SBD, OPIOID_LONG_ACTING",
            "1740008, Subsys pack (BPCK), OPIOID_SHORT_ACTING", "1740007, fentanyl spray pack (GPCK), OPIOID_SHORT_ACTING",
            "1797655, Probuphine SBD, OPIOID_LONG_ACTING"})
    void brandedProductsAndPacks(String rxcui, String story, DrugClass expected) {
        assertThat(MEDICATIONS.classify(Set.of(Code.rxnorm(rxcui)), Optional.empty())).as(story).isEqualTo(expected);
    }

    @ParameterizedTest(name = "text ''{0}'' is {1}")
    @CsvSource(delimiter = '|', value = {
            "Vivitrol 380 mg IM | NALTREXONE_EXTENDED_RELEASE",
            "naltrexone 380 mg injection | NALTREXONE_EXTENDED_RELEASE",
            "Revia 50mg tab | NALTREXONE_ORAL",
            "Depade | NALTREXONE_ORAL",
            "naltrexone 50 mg PO daily | NALTREXONE_ORAL",
            "CONTRAVE ER 8-90 MG | BUPROPION_NALTREXONE",
            "bupropion/naltrexone | BUPROPION_NALTREXONE",
            "Lybalvi 10/10 | SAMIDORPHAN_COMBINATION",
            "Embeda 20 mg | OPIOID_LONG_ACTING",
            "Percocet 5/325 | OPIOID_SHORT_ACTING",
            "Norco 10-325 | OPIOID_SHORT_ACTING",
            "OxyContin 20mg | OPIOID_LONG_ACTING",
            "oxycodone ER 10 mg | OPIOID_LONG_ACTING",
            "Dilaudid 2mg | OPIOID_SHORT_ACTING",
            "Duragesic 25 mcg/hr patch | OPIOID_LONG_ACTING",
            "Suboxone 8/2 film | OPIOID_LONG_ACTING",
            "Subutex 8 mg SL | OPIOID_LONG_ACTING",
            "Sublocade 300 mg | OPIOID_LONG_ACTING",
            "Brixadi weekly 16 mg | OPIOID_LONG_ACTING",
            "Probuphine implant | OPIOID_LONG_ACTING",
            "Zubsolv | OPIOID_LONG_ACTING",
            "Butrans 10 mcg/hr | OPIOID_LONG_ACTING",
            "Belbuca | OPIOID_LONG_ACTING",
            "Methadose 40 mg | OPIOID_LONG_ACTING",
            "Dolophine | OPIOID_LONG_ACTING",
            "Ultram 50 mg | OPIOID_SHORT_ACTING",
            "Nucynta 50 mg | OPIOID_SHORT_ACTING",
            "MS Contin 15 mg | OPIOID_LONG_ACTING",
            "Tylenol with codeine #3 | OPIOID_SHORT_ACTING",
            "tapentadol | OPIOID_SHORT_ACTING",
            "Narcan nasal spray | OPIOID_REVERSAL_AGENT",
            "ibuprofen 400 mg | OTHER",
            "hydromorphone | OPIOID_SHORT_ACTING",
            "non-opioid analgesia | OTHER",
            "opioid analgesic PRN | UNCLASSIFIED",
            "naltrexone implant | UNCLASSIFIED",
            "naltrexone and oxycodone | OPIOID_LONG_ACTING",
            "naltrexone + hydrocodone | UNCLASSIFIED"})
    void recognisesIngredientAndBrandNamesInText(String text, DrugClass expected) {
        MedicationRecognition r = MEDICATIONS.recognise(MedicationDescription.ofText(text));
        assertThat(r.drugClass()).isEqualTo(expected);
        if (expected != DrugClass.OTHER) {
            assertThat(r.recognisedFrom()).isEqualTo(RecognisedFrom.TEXT);
        }
        assertThat(r.unreadable().isPresent()).isEqualTo(expected == DrugClass.UNCLASSIFIED);
    }

    @Test
    void aDisplayOfAnUnknownRxNormCodeIsText() {
        MedicationRecognition r = MEDICATIONS.recognise(new MedicationDescription(Set.of(Code.rxnorm("999999999")),
                List.of("naltrexone 380 MG Injectable Suspension [Vivitrol]"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertThat(r.drugClass()).isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(r.recognisedFrom()).isEqualTo(RecognisedFrom.TEXT);
    }

    @Test
    void aNaltrexoneIngredientWith380MilligramsIsTheInjectionWhateverTheRouteSays() {
        assertThat(ingredient(Optional.of("Oral route"), Optional.empty(), Optional.of(BigDecimal.valueOf(380))))
                .isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(ingredient(Optional.empty(), Optional.empty(), Optional.of(BigDecimal.valueOf(380))))
                .isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(ingredient(Optional.of("Intramuscular"), Optional.empty(), Optional.of(BigDecimal.valueOf(50))))
                .as("50 mg is a tablet dose").isEqualTo(DrugClass.NALTREXONE_ORAL);
        assertThat(ingredient(Optional.empty(), Optional.of("Injectable Suspension"), Optional.empty()))
                .isEqualTo(DrugClass.NALTREXONE_EXTENDED_RELEASE);
        assertThat(ingredient(Optional.empty(), Optional.of("Oral Tablet"), Optional.empty()))
                .isEqualTo(DrugClass.NALTREXONE_ORAL);
        assertThat(ingredient(Optional.empty(), Optional.empty(), Optional.empty()))
                .as("a bare ingredient: the labelled oral dose").isEqualTo(DrugClass.NALTREXONE_ORAL);
    }

    private static DrugClass ingredient(Optional<String> route, Optional<String> form, Optional<BigDecimal> dose) {
        return MEDICATIONS.recognise(new MedicationDescription(Set.of(Code.rxnorm("7243")), List.of(), form, route,
                Optional.empty(), dose)).drugClass();
    }
}
