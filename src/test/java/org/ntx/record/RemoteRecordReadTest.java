package org.ntx.record;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpExchange;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ntx.rules.Finding;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.RuleInput;
import org.ntx.rules.Severity;
import org.ntx.rules.Thresholds;
import org.ntx.rules.Topic;
import org.ntx.rules.Trigger;
import org.ntx.source.FhirDataSource;
import org.ntx.source.LoopbackFhirServer;
import org.ntx.source.RemoteFhirClient;
import org.ntx.source.RemoteFhirProperties;
import org.ntx.terminology.Terminology;
import org.ntx.timeline.DataKind;
import org.ntx.timeline.Shortfall;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading a record from the client's FHIR server within the call's budget: what arrived still proves a finding when
 * something else is late, prefetched lists are completed through their next links, prefetched parts are not fetched
 * again, and referenced Medications come with the search or in one request.
 */
class RemoteRecordReadTest {

    static final Instant AS_OF = Instant.parse("2026-11-20T12:00:00Z");
    static final String INJECTION = """
            {"resourceType":"MedicationAdministration","id":"inj-%s","status":"completed",
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"%s",
             "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
               "code":"637213","display":"naltrexone 380 MG Injection"}]},
             "dosage":{"route":{"coding":[{"system":"http://snomed.info/sct","code":"78421000"}]},
               "dose":{"value":380,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}}""";
    static final String ORDER_BY_REFERENCE = """
            {"resourceType":"MedicationRequest","id":"%s","status":"active","intent":"order",
             "subject":{"reference":"Patient/p1"},"authoredOn":"2026-11-01",
             "medicationReference":{"reference":"Medication/%s"}}""";
    static final String MEDICATION = """
            {"resourceType":"Medication","id":"%s","code":{"coding":[{"system":
             "http://www.nlm.nih.gov/research/umls/rxnorm","code":"1049683"}]}}""";

    final FhirContext fhirContext = FhirContext.forR4Cached();
    final Terminology terminology = Terminology.fromClasspath();
    final TimelineMapper mapper = new TimelineMapper(terminology.medications(), terminology.labs(),
            terminology.conditions());
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    RecordReader reader(Duration budget) {
        return new RecordReader(fhirContext, new NoStore(), new RecordProperties(20, false, budget, Duration.ZERO),
                mapper, null, new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()),
                RemoteFhirProperties.defaults());
    }

    LoopbackFhirServer server(LoopbackFhirServer.Answer answer) throws IOException {
        LoopbackFhirServer server = new LoopbackFhirServer(answer);
        closing.add(server);
        return server;
    }

    static String when(int daysAgo) {
        return AS_OF.minus(daysAgo, ChronoUnit.DAYS).toString();
    }

    RecordRequest fetchAll(LoopbackFhirServer server, List<Resource> drafts) {
        return new RecordRequest("p1", Map.of(), Optional.of(new RecordRequest.RemoteServer(server.base(),
                Optional.empty())), drafts);
    }

    @Test
    void theBlockadeProvenByTheInjectionThatArrivedStaysCriticalWhenLaboratoryResultsAreLate() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        LoopbackFhirServer server = server(x -> {
            String path = x.getRequestURI().getPath();
            if (path.endsWith("/Observation")) {
                never.await(20, TimeUnit.SECONDS); // stalls past the budget
            }
            LoopbackFhirServer.json(x, path.endsWith("/MedicationAdministration")
                    ? LoopbackFhirServer.searchset(null, INJECTION.formatted("1", when(9)))
                    : LoopbackFhirServer.searchset(null));
        });
        closing.add(never::countDown);
        RecordRequest request = fetchAll(server, List.of(oxycodoneDraft()));

        RecordTimeline record = reader(Duration.ofMillis(700)).read(request, AS_OF);
        List<Finding> findings = new NaltrexoneRules(Thresholds.defaults())
                .evaluate(new RuleInput(record.timeline(), record.drafts(), AS_OF, Trigger.ORDER_SIGN));

        assertThat(record.timeline().unavailable()).containsExactly(DataKind.OBSERVATIONS);
        assertThat(record.timeline().shortfall(DataKind.OBSERVATIONS)).isEqualTo(Shortfall.NOT_READ_IN_TIME);
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.topic()).isEqualTo(Topic.OPIOID_BLOCKADE_CONFLICT);
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void readsTheRestOfAPrefetchedListFromItsNextLink() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                x.getRequestURI().getQuery().contains("page=2")
                        ? LoopbackFhirServer.searchset(null, INJECTION.formatted("2", when(9)))
                        : LoopbackFhirServer.searchset(null)));
        Map<RecordPart, List<Resource>> prefetch = everyPartEmpty();
        prefetch.put(RecordPart.MEDICATION_ADMINISTRATIONS, List.of(parse(INJECTION.formatted("1", when(40)))));
        RecordRequest request = new RecordRequest("p1", prefetch, Optional.of(new RecordRequest.RemoteServer(
                server.base(), Optional.empty())), List.of(),
                Map.of(RecordPart.MEDICATION_ADMINISTRATIONS, server.base() + "/MedicationAdministration?page=2"));

        PatientRecord record = reader(Duration.ofSeconds(20)).load(request, AS_OF);

        assertThat(record.unavailable()).isEmpty();
        assertThat(record.resources().get(RecordPart.MEDICATION_ADMINISTRATIONS))
                .extracting(r -> r.getIdElement().getIdPart()).containsExactly("inj-1", "inj-2");
        // The prefetched parts are not fetched again: the one request is the rest of the list.
        assertThat(server.requests()).containsExactly("/fhir/MedicationAdministration?page=2");
    }

    @Test
    void aPrefetchedListWithMoreToReadAndNoServerToReadItFromIsIncomplete() {
        Map<RecordPart, List<Resource>> prefetch = everyPartEmpty();
        prefetch.put(RecordPart.MEDICATION_ADMINISTRATIONS, List.of(parse(INJECTION.formatted("1", when(9)))));
        RecordRequest request = new RecordRequest("p1", prefetch, Optional.empty(), List.of(),
                Map.of(RecordPart.MEDICATION_ADMINISTRATIONS, "https://ehr.example/fhir/MedicationAdministration?p=2"));

        RecordTimeline record = reader(Duration.ofSeconds(20)).read(request, AS_OF);

        assertThat(record.timeline().unavailable()).containsExactly(DataKind.MEDICATIONS);
        assertThat(record.timeline().shortfall(DataKind.MEDICATIONS)).isEqualTo(Shortfall.INCOMPLETE);
        assertThat(record.timeline().medications()).hasSize(1); // what came still counts
    }

    @Test
    void readsTheReferencedMedicationsOfAllOrdersInOneRequest() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x, answer(x)));

        PatientRecord record = reader(Duration.ofSeconds(20)).load(fetchAll(server, List.of()), AS_OF);

        assertThat(record.unavailable()).isEmpty();
        assertThat(record.medications()).containsOnlyKeys("Medication/m1", "Medication/m2");
        assertThat(server.requests()).filteredOn(r -> r.startsWith("/fhir/Medication?"))
                .containsExactly("/fhir/Medication?_id=m1,m2&_count=500");
    }

    @Test
    void includesTheReferencedMedicationsOnceTheServerSaysItCan() throws Exception {
        LoopbackFhirServer server = server(x -> {
            if (x.getRequestURI().getPath().endsWith("/metadata")) {
                LoopbackFhirServer.json(x, """
                        {"resourceType":"CapabilityStatement","status":"active","date":"2026-01-01","kind":"instance",
                         "fhirVersion":"4.0.1","format":["json"],"rest":[{"mode":"server","resource":[
                         {"type":"MedicationRequest","searchInclude":["MedicationRequest:medication"]}]}]}""");
                return;
            }
            LoopbackFhirServer.json(x, answer(x));
        });
        RemoteFhirClient client = new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults());
        RecordReader reader = new RecordReader(fhirContext, new NoStore(), new RecordProperties(20, false), mapper,
                null, client, RemoteFhirProperties.defaults());
        reader.load(fetchAll(server, List.of()), AS_OF); // learns what the server can include
        for (int i = 0; i < 100 && server.requests().stream().noneMatch(r -> r.endsWith("/metadata")); i++) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        int before = server.requests().size();

        PatientRecord record = reader.load(fetchAll(server, List.of()), AS_OF);

        List<String> second = server.requests().subList(before, server.requests().size());
        assertThat(record.unavailable()).isEmpty();
        assertThat(record.medications()).containsOnlyKeys("Medication/m1", "Medication/m2");
        assertThat(second).anyMatch(r -> r.contains("_include=MedicationRequest:medication"));
        assertThat(second).noneMatch(r -> r.startsWith("/fhir/Medication?"));
    }

    @Test
    void asksForLaboratoryResultsByTheCodesTheRulesReadInTheirCodeOrAComponentsCodeWhereTheServerCan()
            throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                x.getRequestURI().getPath().endsWith("/metadata") ? capabilities("combo-code")
                        : LoopbackFhirServer.searchset(null)));
        RecordReader reader = reader(Duration.ofSeconds(20));
        int before = learnCapabilities(reader, server);

        reader.load(fetchAll(server, List.of()), AS_OF);

        List<String> labSearches = server.requests().subList(before, server.requests().size()).stream()
                .filter(r -> r.startsWith("/fhir/Observation?")).toList();
        assertThat(labSearches).isNotEmpty().allMatch(r -> r.contains("&combo-code="))
                .allMatch(r -> r.length() < RecordQueries.MAX_QUERY_LENGTH + 200);
        List<String> asked = labSearches.stream()
                .flatMap(r -> List.of(r.substring(r.indexOf("&combo-code=") + 12).split("&")[0].split(",")).stream())
                .toList();
        assertThat(asked).containsAll(mapper.labCodesRead().stream().map(org.ntx.timeline.Code::value).toList())
                .contains("1742-6", "1920-8");
    }

    @Test
    void asksByCodeAndByComponentCodeWhereTheServerHasNoComboCode() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                x.getRequestURI().getPath().endsWith("/metadata") ? capabilities("code", "component-code")
                        : LoopbackFhirServer.searchset(null)));
        RecordReader reader = reader(Duration.ofSeconds(20));
        int before = learnCapabilities(reader, server);

        reader.load(fetchAll(server, List.of()), AS_OF);

        List<String> labSearches = server.requests().subList(before, server.requests().size()).stream()
                .filter(r -> r.startsWith("/fhir/Observation?")).toList();
        assertThat(labSearches).anyMatch(r -> r.contains("&code=1742-6") || r.contains(",1742-6,"))
                .anyMatch(r -> r.contains("&component-code="));
        assertThat(labSearches.stream().filter(r -> r.contains("&code=")).count())
                .isEqualTo(labSearches.stream().filter(r -> r.contains("&component-code=")).count());
    }

    @Test
    void readsEveryObservationWhereTheServerCannotSearchByComponentCodeSoThatNoPanelComponentIsMissed()
            throws Exception {
        // A hepatic panel under a local code whose ALT component is 6x the upper limit.
        String panel = """
                {"resourceType":"Observation","id":"panel","status":"final","subject":{"reference":"Patient/p1"},
                 "effectiveDateTime":"%s","code":{"coding":[{"system":"urn:oid:1.2.3","code":"LFT"}]},
                 "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"1742-6"}]},
                   "valueQuantity":{"value":240,"unit":"U/L","system":"http://unitsofmeasure.org","code":"U/L"},
                   "referenceRange":[{"high":{"value":40,"unit":"U/L"}}]}]}""".formatted(when(2));
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x,
                x.getRequestURI().getPath().endsWith("/metadata") ? capabilities("code")
                        : x.getRequestURI().getPath().endsWith("/Observation")
                        ? LoopbackFhirServer.searchset(null, panel) : LoopbackFhirServer.searchset(null)));
        RecordReader reader = reader(Duration.ofSeconds(20));
        int before = learnCapabilities(reader, server);

        RecordTimeline record = reader.read(fetchAll(server, List.of()), AS_OF);

        assertThat(server.requests().subList(before, server.requests().size()))
                .filteredOn(r -> r.startsWith("/fhir/Observation?"))
                .containsExactly("/fhir/Observation?patient=p1&_count=500");
        assertThat(record.timeline().labResults()).anySatisfy(lab ->
                assertThat(lab.test()).isEqualTo(org.ntx.timeline.LabTest.ALT));
    }

    /** A CapabilityStatement listing these search parameters for Observation. */
    private static String capabilities(String... observationParameters) {
        String parameters = String.join(",", java.util.Arrays.stream(observationParameters)
                .map(p -> "{\"name\":\"" + p + "\",\"type\":\"token\"}").toList());
        return """
                {"resourceType":"CapabilityStatement","status":"active","date":"2026-01-01","kind":"instance",
                 "fhirVersion":"4.0.1","format":["json"],"rest":[{"mode":"server","resource":[
                 {"type":"Observation","searchParam":[%s]}]}]}""".formatted(parameters);
    }

    /** Makes one read, so that the reader asks for the server's CapabilityStatement; the requests made so far. */
    private static int learnCapabilities(RecordReader reader, LoopbackFhirServer server) throws InterruptedException {
        reader.load(new RecordRequest("p0", Map.of(), Optional.of(new RecordRequest.RemoteServer(server.base(),
                Optional.empty())), List.of()), AS_OF);
        for (int i = 0; i < 100 && server.requests().stream().noneMatch(r -> r.endsWith("/metadata")); i++) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        return server.requests().size();
    }

    @Test
    void medicationsThatCameWithTheSearchAreFoundByAbsoluteAndUrnReferencesWithoutAskingAgain() throws Exception {
        LoopbackFhirServer server = server(x -> {
            if (!x.getRequestURI().getPath().endsWith("/MedicationAdministration")) {
                LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null));
                return;
            }
            String base = "http://127.0.0.1:" + x.getLocalAddress().getPort() + "/fhir";
            LoopbackFhirServer.json(x, """
                    {"resourceType":"Bundle","type":"searchset","entry":[
                     {"fullUrl":"%1$s/MedicationAdministration/a1","resource":{"resourceType":"MedicationAdministration",
                      "id":"a1","status":"completed","subject":{"reference":"Patient/p1"},"effectiveDateTime":"%2$s",
                      "medicationReference":{"reference":"%1$s/Medication/viv"}},"search":{"mode":"match"}},
                     {"fullUrl":"%1$s/MedicationAdministration/a2","resource":{"resourceType":"MedicationAdministration",
                      "id":"a2","status":"completed","subject":{"reference":"Patient/p1"},"effectiveDateTime":"%2$s",
                      "medicationReference":{"reference":"urn:uuid:2b6a8c4e-7d1f-4a55-9e0f-0c1d2e3f4a5b"}},
                      "search":{"mode":"match"}},
                     {"fullUrl":"%1$s/Medication/viv","resource":{"resourceType":"Medication","id":"viv","code":{
                      "coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"65757030001"}]}},
                      "search":{"mode":"include"}},
                     {"fullUrl":"urn:uuid:2b6a8c4e-7d1f-4a55-9e0f-0c1d2e3f4a5b","resource":{"resourceType":"Medication",
                      "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"637213"}]}},
                      "search":{"mode":"include"}}]}""".formatted(base, when(9)));
        });

        RecordTimeline record = reader(Duration.ofSeconds(20)).read(fetchAll(server, List.of()), AS_OF);

        assertThat(record.timeline().unavailable()).isEmpty();
        assertThat(record.timeline().medications()).extracting(org.ntx.timeline.MedicationEvent::drugClass)
                .containsOnly(org.ntx.timeline.DrugClass.NALTREXONE_EXTENDED_RELEASE).hasSize(2);
        assertThat(server.requests()).noneMatch(r -> r.startsWith("/fhir/Medication?"));
    }

    @Test
    void aDraftWhoseMedicationCannotBeReadIsNamedOnItsOwnCardAndTheHistoryStaysComplete() throws Exception {
        LoopbackFhirServer server = server(x -> LoopbackFhirServer.json(x, LoopbackFhirServer.searchset(null)));
        Resource draft = parse("""
                {"resourceType":"MedicationRequest","id":"d1","status":"draft","intent":"order",
                 "subject":{"reference":"Patient/p1"},"medicationReference":{"reference":"Medication/gone"}}""");

        RecordTimeline record = reader(Duration.ofSeconds(20)).read(fetchAll(server, List.of(draft)), AS_OF);
        List<Finding> findings = new NaltrexoneRules(Thresholds.defaults())
                .evaluate(new RuleInput(record.timeline(), record.drafts(), AS_OF, Trigger.ORDER_SIGN));

        assertThat(server.requests()).contains("/fhir/Medication?_id=gone&_count=500");
        assertThat(record.timeline().unavailable()).isEmpty();
        assertThat(findings).anySatisfy(f -> {
            assertThat(f.topic()).isEqualTo(Topic.DATA_UNAVAILABLE);
            assertThat(f.detail()).contains("MedicationRequest/d1").contains("could not be read");
        });
    }

    /** Two orders referencing Medications, which are included when asked for; the Medications by id. */
    private static String answer(HttpExchange x) {
        String path = x.getRequestURI().getPath();
        String query = x.getRequestURI().getQuery();
        if (path.endsWith("/MedicationRequest")) {
            List<String> entries = new ArrayList<>(List.of(ORDER_BY_REFERENCE.formatted("o1", "m1"),
                    ORDER_BY_REFERENCE.formatted("o2", "m2")));
            if (query.contains("_include=MedicationRequest:medication")) {
                entries.add(MEDICATION.formatted("m1"));
                entries.add(MEDICATION.formatted("m2"));
            }
            return LoopbackFhirServer.searchset(null, entries.toArray(String[]::new));
        }
        if (path.endsWith("/Medication")) {
            return LoopbackFhirServer.searchset(null, MEDICATION.formatted("m1"), MEDICATION.formatted("m2"));
        }
        return LoopbackFhirServer.searchset(null);
    }

    private Resource parse(String json) {
        return (Resource) fhirContext.newJsonParser().parseResource(json);
    }

    private Resource oxycodoneDraft() {
        return parse("""
                {"resourceType":"MedicationRequest","id":"d1","status":"draft","intent":"order",
                 "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"coding":[{"system":
                 "http://www.nlm.nih.gov/research/umls/rxnorm","code":"1049683"}]}}""");
    }

    private static Map<RecordPart, List<Resource>> everyPartEmpty() {
        Map<RecordPart, List<Resource>> prefetch = new EnumMap<>(RecordPart.class);
        for (RecordPart part : RecordReader.CLINICAL_DATA) {
            prefetch.put(part, List.of());
        }
        return prefetch;
    }

    /** No own store: every read must go to the client's server. */
    private static final class NoStore implements FhirDataSource {
        @Override
        public List<Resource> search(String relativeUrl) {
            throw new AssertionError("the own store must not be read: " + relativeUrl);
        }

        @Override
        public Optional<Resource> read(String resourceType, String id) {
            throw new AssertionError("the own store must not be read: " + resourceType);
        }
    }
}
