package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ntx.rules.Finding;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Severity;
import org.ntx.rules.Thresholds;
import org.ntx.rules.Topic;
import org.ntx.rules.Trigger;
import org.ntx.record.RecordProperties;
import org.ntx.record.RecordReader;
import org.ntx.record.RecordTimeline;
import org.ntx.record.TimelineMapper;
import org.ntx.source.FhirDataSource;
import org.ntx.terminology.Terminology;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDS Hooks requests shaped the way EHRs send them (pharmacy and MAR data coded by NDC or J-code, text-only orders,
 * Medications included in the prefetch bundle or contained, labs in SI units), through the real parser, loader, mapper
 * and rules, with everything in prefetch. The same shapes through HTTP and the own store: {@code EhrShapedDataIT}.
 */
class EhrShapedRequestsTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final Terminology TERMINOLOGY = Terminology.fromClasspath();
    static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    final CdsRequestParser parser = new CdsRequestParser(FHIR);
    final TimelineMapper mapper = new TimelineMapper(TERMINOLOGY.medications(), TERMINOLOGY.labs(),
            TERMINOLOGY.conditions());
    final RecordReader reader = new RecordReader(FHIR, new NothingMore(), new RecordProperties(20, false), mapper);
    final NaltrexoneRules rules = new NaltrexoneRules(Thresholds.defaults());

    @Test
    void anInjectionCodedOnlyByNdcBlocksAnOpioidDraftCodedOnlyByNdc() {
        List<Finding> findings = orderSign(
                administration("inj", 9, medication("http://hl7.org/fhir/sid/ndc", "65757-0300-01", null)),
                draft("d1", medication("http://hl7.org/fhir/sid/ndc", "62559016701", null)));
        assertThat(one(findings, Topic.OPIOID_BLOCKADE_CONFLICT).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void theJCodeUnderTheCmsUrlBlocksATextOnlyPercocetDraftAndTheCardSaysItWasText() {
        List<Finding> findings = orderSign(
                administration("inj", 5, medication("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
                        "J2315", "Injection, naltrexone, depot form, 1 mg")),
                draft("d1", "{\"text\": \"Percocet 5/325 1 tab q6h prn\"}"));
        Finding conflict = one(findings, Topic.OPIOID_BLOCKADE_CONFLICT);
        assertThat(conflict.severity()).as("text-only draft during a documented injection").isEqualTo(
                Severity.CRITICAL);
        assertThat(conflict.detail()).contains("recognised from the order's text, not its codes");
    }

    @Test
    void aTextOnlyVivitrolInjectionRecordIsABlockade() {
        List<Finding> findings = orderSign(
                administration("inj", 9, "{\"text\": \"Vivitrol 380 mg IM\"}"),
                draft("d1", medication(RXNORM, "1049683", "oxyCODONE Hydrochloride 10 MG Oral Tablet")));
        Finding conflict = one(findings, Topic.OPIOID_BLOCKADE_CONFLICT);
        assertThat(conflict.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(conflict.evidence().get(0).description()).contains("recognised from its text");
    }

    @Test
    void theNaltrexoneIngredientWith380MilligramsAndNoRouteIsTheInjection() {
        String administration = """
                {"resourceType": "MedicationAdministration", "id": "inj", "status": "completed",
                 "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                 "medicationCodeableConcept": {"coding": [{"system": "%s", "code": "7243", "display": "naltrexone"}]},
                 "dosage": {"dose": {"value": 380, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}}
                """.formatted(daysAgo(9), RXNORM);
        PatientTimeline timeline = timeline("medicationAdministrations", administration);
        assertThat(timeline.medications()).extracting(MedicationEvent::drugClass)
                .containsExactly(org.ntx.timeline.DrugClass.NALTREXONE_EXTENDED_RELEASE);
        List<Finding> patientView = rules.evaluate(RuleInput.patientView(timeline, now));
        assertThat(patientView).extracting(Finding::topic).doesNotContain(Topic.OVERDOSE_RISK);
    }

    @Test
    void aMedicationIncludedInThePrefetchBundleIsResolvedByRelativeAbsoluteAndUrnReferences() {
        for (String reference : List.of("Medication/viv", "https://ehr.example.org/fhir/Medication/viv")) {
            String bundle = """
                    {"resourceType": "Bundle", "type": "searchset", "entry": [
                      {"fullUrl": "https://ehr.example.org/fhir/MedicationAdministration/inj",
                       "resource": {"resourceType": "MedicationAdministration", "id": "inj", "status": "completed",
                        "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                        "medicationReference": {"reference": "%s"}}, "search": {"mode": "match"}},
                      {"fullUrl": "https://ehr.example.org/fhir/Medication/viv",
                       "resource": {"resourceType": "Medication", "id": "viv", "code": {"coding": [
                         {"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.698288", "code": "40123"},
                         {"system": "http://hl7.org/fhir/sid/ndc", "code": "65757030001"}]}},
                       "search": {"mode": "include"}}]}
                    """.formatted(daysAgo(9), reference);
            assertThat(blockerClasses(bundle)).as(reference)
                    .containsExactly(org.ntx.timeline.DrugClass.NALTREXONE_EXTENDED_RELEASE);
        }
        String urn = """
                {"resourceType": "Bundle", "type": "searchset", "entry": [
                  {"fullUrl": "urn:uuid:2b6a8c4e-7d1f-4a55-9e0f-0c1d2e3f4a5b",
                   "resource": {"resourceType": "Medication", "code": {"coding": [
                     {"system": "%s", "code": "637213"}]}}},
                  {"resource": {"resourceType": "MedicationAdministration", "id": "inj", "status": "completed",
                    "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                    "medicationReference": {"reference": "urn:uuid:2b6a8c4e-7d1f-4a55-9e0f-0c1d2e3f4a5b"}}}]}
                """.formatted(RXNORM, daysAgo(9));
        assertThat(blockerClasses(urn)).containsExactly(org.ntx.timeline.DrugClass.NALTREXONE_EXTENDED_RELEASE);
    }

    @Test
    void aContainedMedicationOnTheDraftIsRead() {
        String draft = """
                {"resourceType": "MedicationRequest", "id": "d1", "status": "draft", "intent": "order",
                 "subject": {"reference": "Patient/p1"},
                 "contained": [{"resourceType": "Medication", "id": "m", "code": {"coding": [
                   {"system": "urn:oid:2.16.840.1.113883.6.88", "code": "1049683"}]}}],
                 "medicationReference": {"reference": "#m"}}
                """;
        List<Finding> findings = orderSign(administration("inj", 9, medication(RXNORM, "637213", null)), draft);
        assertThat(one(findings, Topic.OPIOID_BLOCKADE_CONFLICT).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void naltrexoneAndAnOpioidSignedTogetherNameBothDrafts() {
        List<Finding> findings = evaluate(Trigger.ORDER_SIGN, prefetch("medicationRequests", null),
                List.of(draft("d1", medication(RXNORM, "1483744", null)),
                        draft("d2", "{\"text\": \"Norco 10-325\"}")));
        Finding pair = one(findings, Topic.OPIOID_BLOCKADE_CONFLICT);
        assertThat(pair.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(pair.draftOrders()).extracting(ref -> ref.reference())
                .containsExactly("MedicationRequest/d1", "MedicationRequest/d2");
    }

    @Test
    void aMonthlyBuprenorphineDepot25DaysAgoStillReleasesWhenTheInjectionIsOrdered() {
        List<Finding> findings = evaluate(Trigger.ORDER_SELECT, prefetch("medicationAdministrations",
                        administration("sub", 25, medication("urn:oid:2.16.840.1.113883.6.285", "Q9992", null))),
                List.of(draft("d1", medication(RXNORM, "637213", null))));
        Finding window = one(findings, Topic.INDUCTION_WINDOW);
        assertThat(window.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(window.summary()).contains("Opioid still active");
    }

    @Test
    void altInUkatPerLitreUnderAnotherLoincCodeWithoutARangeIsComparedWithTheConvertedDefault() {
        String alt = """
                {"resourceType": "Observation", "id": "alt", "status": "final",
                 "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                   "code": "laboratory"}]}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "1744-2"}], "text": "ALT"},
                 "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                 "valueQuantity": {"value": 4.5, "unit": "µkat/L", "system": "http://unitsofmeasure.org",
                   "code": "ukat/L"}}
                """.formatted(daysAgo(5));
        List<Finding> findings = evaluate(Trigger.ORDER_SELECT, prefetch("labObservations", alt),
                List.of(draft("d1", medication(RXNORM, "1483744", null))));
        Finding liver = one(findings, Topic.LIVER_FUNCTION);
        assertThat(liver.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(liver.detail()).contains("6.8x ULN").contains("0.67 ukat/L");
    }

    @Test
    void aPanelWithComponentsAStringValueAboveTheRangeAndAResultWithoutAValue() {
        String panel = """
                {"resourceType": "Observation", "id": "panel", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "24325-3"}]},
                 "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                 "component": [
                   {"code": {"coding": [{"system": "http://loinc.org", "code": "1920-8"}]}, "valueString": ">1000"},
                   {"code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
                    "dataAbsentReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                      "code": "error", "display": "Error"}]}}]}
                """.formatted(daysAgo(3));
        List<Finding> findings = evaluate(Trigger.ORDER_SELECT, prefetch("labObservations", panel),
                List.of(draft("d1", medication(RXNORM, "637213", null))));
        Finding liver = one(findings, Topic.LIVER_FUNCTION);
        assertThat(liver.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(liver.detail()).contains("AST >1000 (above 25.0x ULN)").contains("ALT on").contains("has no value (Error)");
    }

    @Test
    void aDraftWhoseMedicationCannotBeReadIsNamedOnADataUnavailableCard() {
        String draft = """
                {"resourceType": "MedicationRequest", "id": "d1", "status": "draft", "intent": "order",
                 "subject": {"reference": "Patient/p1"}, "medicationReference": {"reference": "Medication/gone"}}
                """;
        List<Finding> findings = evaluate(Trigger.ORDER_SIGN, prefetch("medicationRequests", null), List.of(draft));
        Finding unreadable = one(findings, Topic.DATA_UNAVAILABLE);
        assertThat(unreadable.detail()).contains("MedicationRequest/d1").contains("could not be read");
    }

    @Test
    void aDraftThatMentionsAnOpioidWithoutNamingItIsNamedOnADataUnavailableCard() {
        List<Finding> findings = evaluate(Trigger.ORDER_SIGN, prefetch("medicationRequests", null),
                List.of(draft("d1", "{\"text\": \"opioid analgesic, per pain protocol\"}")));
        assertThat(one(findings, Topic.DATA_UNAVAILABLE).detail()).contains("mentions an opioid without naming");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private List<Finding> orderSign(String administration, String draft) {
        return evaluate(Trigger.ORDER_SIGN, prefetch("medicationAdministrations", administration), List.of(draft));
    }

    private List<org.ntx.timeline.DrugClass> blockerClasses(String administrationsBundle) {
        String body = request("order-sign", "{\"medicationAdministrations\": " + administrationsBundle + ","
                + otherKeys("medicationAdministrations") + "}", List.of());
        CdsRequest request = parser.parse(body, CdsHook.ORDER_SIGN);
        PatientTimeline timeline = reader.read(request.recordRequest(), now).timeline();
        assertThat(timeline.unavailable()).isEmpty();
        return timeline.medications().stream().map(MedicationEvent::drugClass).toList();
    }

    private PatientTimeline timeline(String key, String resource) {
        CdsRequest request = parser.parse(request("patient-view", prefetch(key, resource), List.of()),
                CdsHook.PATIENT_VIEW);
        return reader.read(request.recordRequest(), now).timeline();
    }

    private List<Finding> evaluate(Trigger trigger, String prefetch, List<String> drafts) {
        CdsHook hook = trigger == Trigger.ORDER_SELECT ? CdsHook.ORDER_SELECT : CdsHook.ORDER_SIGN;
        CdsRequest request = parser.parse(request(hook.wireName(), prefetch, drafts), hook);
        RecordTimeline record = reader.read(request.recordRequest(), now);
        return rules.evaluate(new RuleInput(record.timeline(), record.drafts(), now, trigger));
    }

    private static Finding one(List<Finding> findings, Topic topic) {
        List<Finding> ofTopic = findings.stream().filter(f -> f.topic() == topic).toList();
        assertThat(ofTopic).as("findings of %s among %s", topic, findings).hasSize(1);
        return ofTopic.get(0);
    }

    private String request(String hook, String prefetch, List<String> drafts) {
        return """
                {"hook": "%s", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
                 "context": {"patientId": "p1", "userId": "Practitioner/1", "draftOrders": {"resourceType": "Bundle",
                   "type": "collection", "entry": [%s]}},
                 "prefetch": %s}
                """.formatted(hook, String.join(",", drafts.stream().map(d -> "{\"resource\": " + d + "}").toList()),
                prefetch);
    }

    private static String prefetch(String key, String resource) {
        String bundle = resource == null ? "{\"resourceType\": \"Bundle\", \"type\": \"searchset\"}"
                : "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [{\"resource\": " + resource + "}]}";
        return "{\"" + key + "\": " + bundle + "," + otherKeys(key) + "}";
    }

    private static String otherKeys(String except) {
        return String.join(",", List.of("medicationRequests", "medicationAdministrations", "medicationDispenses",
                        "medicationStatements", "labObservations", "conditions").stream()
                .filter(key -> !key.equals(except))
                .map(key -> "\"" + key + "\": {\"resourceType\": \"Bundle\", \"type\": \"searchset\"}").toList());
    }

    private String administration(String id, int daysAgo, String medicationConcept) {
        return """
                {"resourceType": "MedicationAdministration", "id": "%s", "status": "completed",
                 "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "%s",
                 "medicationCodeableConcept": %s}
                """.formatted(id, daysAgo(daysAgo), medicationConcept);
    }

    private static String draft(String id, String medicationConcept) {
        return """
                {"resourceType": "MedicationRequest", "id": "%s", "status": "draft", "intent": "order",
                 "subject": {"reference": "Patient/p1"}, "medicationCodeableConcept": %s}
                """.formatted(id, medicationConcept);
    }

    private static String medication(String system, String code, String display) {
        return "{\"coding\": [{\"system\": \"" + system + "\", \"code\": \"" + code + "\""
                + (display == null ? "" : ", \"display\": \"" + display + "\"") + "}]}";
    }

    private String daysAgo(int days) {
        return now.minus(days, ChronoUnit.DAYS).toString();
    }

    /** Prefetch carries everything; anything the loader still asks for is not there. */
    private static final class NothingMore implements FhirDataSource {
        @Override
        public List<Resource> search(String relativeUrl) {
            return List.of();
        }

        @Override
        public Optional<Resource> read(String resourceType, String id) {
            return Optional.empty();
        }
    }
}
