package org.ntx.record;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Thresholds;
import org.ntx.rules.Trigger;
import org.ntx.terminology.Terminology;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.PatientTimeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FHIR decimals are arbitrary-precision, and any client can send one (in prefetch, or stored through the FHIR API).
 * The timeline reads only plausible clinical quantities, so that no rule or card text scales or prints a number of a
 * billion digits (which would hang the request and exhaust memory).
 */
class QuantityBoundsTest {

    private static final Instant AS_OF = Instant.parse("2026-06-01T12:00:00Z");
    private static final Terminology TERMINOLOGY = Terminology.fromClasspath();

    private final TimelineMapper mapper = new TimelineMapper(TERMINOLOGY.medications(), TERMINOLOGY.labs(),
            TERMINOLOGY.conditions());

    @ParameterizedTest(name = "ALT {0} U/L, upper limit {1}: read as {2}, limit {3}")
    @CsvSource(nullValues = "none", value = {
            "45.10,         40,             45.10,          40",
            "1e999999999,   40,             none,           40",
            "1e-999999999,  40,             none,           40",
            "0E-999999999,  40,             0,              40",
            "120,           1e-999999999,   120,            none",
            "120,           1e999999999,    120,            none",
            "999999999999,  40,             999999999999,   40",
            "1000000000000, 40,             none,           40",
            "0.1000000000000000055511151231257827, 40, 0.100000000000, 40",
    })
    void labValuesAndLimitsOutsideClinicalBoundsAreReadAsAbsent(String value, String limit, String expectedValue,
                                                                 String expectedLimit) {
        Observation alt = alt(new BigDecimal(value), new BigDecimal(limit));

        LabResult result = timeline(alt).labResults().get(0);

        assertThat(result.value()).isEqualTo(Optional.ofNullable(expectedValue).map(BigDecimal::new));
        assertThat(result.upperLimit()).isEqualTo(Optional.ofNullable(expectedLimit).map(BigDecimal::new));
    }

    @ParameterizedTest(name = "injection of {0} {1}: dose read as {2} mg")
    @CsvSource(nullValues = "none", value = {
            "380,           mg,     380",
            "0.38,          g,      380.00",
            "1e999999999,   mg,     none",
            "1e999999999,   g,      none",
            "1e-999999999,  mcg,    none",
    })
    void dosesOutsideClinicalBoundsAreReadAsAbsent(String value, String unit, String expectedMg) {
        MedicationAdministration injection = injection(new BigDecimal(value), unit);

        PatientTimeline timeline = timeline(injection);

        assertThat(timeline.medications().get(0).doseMg())
                .isEqualTo(Optional.ofNullable(expectedMg).map(BigDecimal::new));
    }

    /**
     * Unbounded, the first case took 52 s of CPU and a 100-million-digit number (ALT as a multiple of the upper
     * limit), and the last built a 100 MB card text. The time-out turns a regression into a failure, not a hang.
     */
    @Timeout(60)
    @ParameterizedTest(name = "ALT {0} with upper limit {1}: the rules finish and cite no such number")
    @CsvSource({"1e99999999, 40", "1e999999999, 40", "120, 1e-99999999", "1e-99999999, 40"})
    void theRulesFinishOnAbsurdValues(String value, String limit) {
        PatientTimeline timeline = timeline(alt(new BigDecimal(value), new BigDecimal(limit)),
                injection(new BigDecimal("1e999999999"), "mg"));

        var findings = new NaltrexoneRules(Thresholds.defaults())
                .evaluate(new RuleInput(timeline, List.of(), AS_OF, Trigger.PATIENT_VIEW));

        assertThat(findings).allSatisfy(finding -> assertThat(finding.toString()).doesNotContain("E+", "E-", "0000000000"));
    }

    private PatientTimeline timeline(Resource... resources) {
        return mapper.timeline("p1", List.of(resources), Set.of(), reference -> Optional.empty());
    }

    private static Observation alt(BigDecimal value, BigDecimal upperLimit) {
        Observation o = new Observation();
        o.setId("alt");
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setSubject(new Reference("Patient/p1"));
        o.setCode(new CodeableConcept(new Coding("http://loinc.org", "1742-6", "ALT")));
        o.setEffective(new DateTimeType(Date.from(AS_OF.minusSeconds(86_400))));
        o.setValue(new Quantity().setValue(value).setSystem("http://unitsofmeasure.org").setCode("U/L"));
        o.addReferenceRange().setHigh((SimpleQuantity) new SimpleQuantity().setValue(upperLimit).setCode("U/L"));
        return o;
    }

    private static MedicationAdministration injection(BigDecimal dose, String unit) {
        MedicationAdministration a = new MedicationAdministration();
        a.setId("inj");
        a.setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        a.setSubject(new Reference("Patient/p1"));
        a.setMedication(new CodeableConcept(new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "637213",
                "naltrexone 380 MG Injection")));
        a.setEffective(new DateTimeType(Date.from(AS_OF.minusSeconds(5 * 86_400))));
        a.getDosage().setDose((SimpleQuantity) new SimpleQuantity().setValue(dose).setUnit(unit)
                .setSystem("http://unitsofmeasure.org").setCode(unit));
        return a;
    }
}
