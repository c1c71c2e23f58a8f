package org.ntx.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.ntx.support.IntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws a few thousand mutated and hostile requests at the running server: CDS Hooks calls and feedback, FHIR
 * resources, transactions, searches and our operations, each seed truncated, retyped, bloated, nested deep, given
 * impossible dates, unknown codes or the wrong content type; and every family of {@link HostileRequests} (XML that does
 * not read back, invalid UTF-8, costly searches, conditional headers, URLs and references that are no search,
 * batches, patches, odd methods and content types, escaped paths). Whatever comes in, the answer is never 5xx, never
 * shows a stack trace or a Java class name, every refusal carries an OperationOutcome (FHIR) or a JSON error body (CDS
 * Hooks, web API), and a refused write leaves the store exactly as it was.
 *
 * <p>Everything comes from fixed seeds, so a failure names a request that can be replayed. Loopback only; each request
 * has a 60 s time-out, and the whole run takes about a minute or two.
 */
@IntegrationTest
class HostileInputIT {

    private static final long SEED = 20261123L;
    private static final int ROUNDS = 2200;
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\tat |\\bat (java|javax|jakarta|org|ca\\.uhn|com|sun)\\.[\\w.$]+\\(|\\.java:\\d+\\)");
    /** A Java class name in an answer: a fully qualified one, or any simple name ending in Exception or Error. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|ca\\.uhn|com\\.(fasterxml|google|zaxxer|nimbusds)|org\\.(hibernate|springframework"
                    + "|apache|postgresql|h2|hl7))\\.[a-z][\\w.$]*|\\b[A-Z]\\w*(Exception|Error)\\b");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HOSTILE_REQUESTS = 1300;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Where a seed goes and how its errors look. */
    private record Target(String method, String path, JsonNode seed, boolean fhir) {}

    /** One mutated request, kept for the failure report. */
    private record Attempt(String method, String path, String contentType, byte[] body, String mutation,
                           Map<String, String> headers) {
        Attempt(String method, String path, String contentType, byte[] body, String mutation) {
            this(method, path, contentType, body, mutation, Map.of());
        }

        @Override
        public String toString() {
            String shown = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + path + " [" + contentType + "] via " + mutation + ": " + shown;
        }
    }

    @Test
    void answersEveryMutatedRequestWithoutA5xxOrAStackTrace() throws Exception {
        List<Target> targets = targets();
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, Function<JsonNode, byte[]>> mutations = mutations(random);
        List<String> mutationNames = new ArrayList<>(mutations.keySet());
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statusCounts = new LinkedHashMap<>();

        for (int round = 0; round < ROUNDS; round++) {
            Target target = targets.get(random.nextInt(targets.size()));
            String mutation = mutationNames.get(random.nextInt(mutationNames.size()));
            byte[] body = mutations.get(mutation).apply(target.seed().deepCopy());
            String contentType = contentType(random, target.fhir(), mutation);
            Attempt attempt = new Attempt(target.method(), target.path(), contentType, body, mutation);
            check(attempt, target.fhir(), failures, statusCounts);
        }
        for (Attempt attempt : hostileUrls(random)) {
            check(attempt, attempt.path().startsWith("/fhir"), failures, statusCounts);
        }

        assertThat(statusCounts.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(2000);
        assertThat(statusCounts.keySet()).as("the mutations must actually be refused, not all accepted")
                .anyMatch(status -> status >= 400);
        assertThat(failures).as("statuses seen: %s", statusCounts).isEmpty();
    }

    @Test
    void answersEveryFamilyOfHostileRequestWithoutA5xxAClassNameOrAChangeFromARefusedWrite() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statusCounts = new LinkedHashMap<>();
        for (HostileRequests.Request request : new HostileRequests(SEED + 1).draw(HOSTILE_REQUESTS)) {
            check(new Attempt(request.method(), request.path(), request.headers().get("Content-Type"),
                    request.body(), request.family(), request.headers()), failures, statusCounts);
        }
        assertThat(statusCounts.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(HOSTILE_REQUESTS);
        assertThat(failures).as("statuses seen: %s", statusCounts).isEmpty();
    }

    /**
     * FHIR decimals are arbitrary-precision: a lab value of 1e99999999 is valid JSON and valid FHIR. Stored through
     * the FHIR API or sent in prefetch, it must not stall a CDS call or a status read (scaling it as a multiple of the
     * upper limit took 52 s of CPU; printing 1e-99999999 built a 100 MB card) nor cause a 5xx.
     */
    @Test
    void absurdDecimalsStoredOrPrefetchedAreAnsweredWithoutA5xx() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statusCounts = new LinkedHashMap<>();
        for (String value : List.of("1e99999999", "1e-99999999", "1e999999999")) {
            String observation = """
                    {"resourceType": "Observation", "status": "final",
                     "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                       "code": "laboratory"}]}],
                     "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
                     "subject": {"reference": "Patient/hostile-decimal"}, "effectiveDateTime": "2026-11-01",
                     "valueQuantity": {"value": %s, "unit": "U/L"},
                     "referenceRange": [{"high": {"value": %s, "unit": "U/L"}}]}
                    """.formatted(value, value);
            check(new Attempt("PUT", "/fhir/Patient/hostile-decimal", "application/fhir+json",
                    "{\"resourceType\": \"Patient\", \"id\": \"hostile-decimal\"}".getBytes(StandardCharsets.UTF_8),
                    "decimal " + value), true, failures, statusCounts);
            check(new Attempt("POST", "/fhir/Observation", "application/fhir+json",
                    observation.getBytes(StandardCharsets.UTF_8), "decimal " + value), true, failures, statusCounts);
            String patientView = """
                    {"hook": "patient-view", "hookInstance": "8f2d8c4e-1a2b-4c3d-8e9f-0a1b2c3d4e60",
                     "context": {"userId": "Practitioner/example", "patientId": "hostile-decimal"}}
                    """;
            check(new Attempt("POST", "/cds-services/naltrexone-patient-view", "application/json",
                    patientView.getBytes(StandardCharsets.UTF_8), "decimal " + value + " stored"), false, failures,
                    statusCounts);
            String prefetched = """
                    {"hook": "patient-view", "hookInstance": "8f2d8c4e-1a2b-4c3d-8e9f-0a1b2c3d4e61",
                     "context": {"userId": "Practitioner/example", "patientId": "hostile-prefetch"},
                     "prefetch": {"labObservations": {"resourceType": "Bundle", "type": "searchset",
                       "entry": [{"resource": %s}]}}}
                    """.formatted(observation.replace("hostile-decimal", "hostile-prefetch"));
            check(new Attempt("POST", "/cds-services/naltrexone-patient-view", "application/json",
                    prefetched.getBytes(StandardCharsets.UTF_8), "decimal " + value + " prefetched"), false, failures,
                    statusCounts);
            check(new Attempt("GET", "/fhir/Patient/hostile-decimal/$naltrexone-status", null, new byte[0],
                    "decimal " + value + " status"), true, failures, statusCounts);
            String xml = """
                    <Observation xmlns="http://hl7.org/fhir"><status value="final"/>
                     <code><coding><system value="http://loinc.org"/><code value="1742-6"/></coding></code>
                     <subject><reference value="Patient/hostile-decimal"/></subject>
                     <valueQuantity><value value="%s"/><unit value="U/L"/></valueQuantity></Observation>
                    """.formatted(value);
            check(new Attempt("POST", "/fhir/Observation", "application/fhir+xml", xml.getBytes(StandardCharsets.UTF_8),
                    "decimal " + value + " in XML"), true, failures, statusCounts);
            check(new Attempt("GET", "/fhir/Observation?subject=Patient/hostile-decimal", null, new byte[0],
                    "decimal " + value + " search"), true, failures, statusCounts);
            // HAPI's JSON reading accepts single quotes; so must the check in front of it.
            check(new Attempt("POST", "/fhir/Observation", "application/fhir+json", observation.replace('"', '\'')
                    .getBytes(StandardCharsets.UTF_8), "decimal " + value + " single-quoted"), true, failures,
                    statusCounts);
            check(new Attempt("GET", "/fhir/Observation?value-quantity=" + value, null, new byte[0],
                    "decimal " + value + " as a search parameter"), true, failures, statusCounts);
        }
        assertThat(failures).as("statuses seen: %s", statusCounts).isEmpty();
        // The values are refused (each write and prefetched call), and what reads the patient still answers.
        assertThat(statusCounts.get(400)).isGreaterThanOrEqualTo(12);
        assertThat(statusCounts).containsKey(200);
    }

    private void check(Attempt attempt, List<String> failures, Map<Integer, Integer> statusCounts) {
        check(attempt, attempt.path().startsWith("/fhir"), failures, statusCounts);
    }

    private void check(Attempt attempt, boolean fhir, List<String> failures, Map<Integer, Integer> statusCounts) {
        long storedBefore = stored();
        HttpResponse<String> response;
        try {
            response = send(attempt);
        } catch (IOException | IllegalArgumentException e) {
            failures.add("no answer (" + e.getClass().getSimpleName() + ") to " + attempt);
            return;
        }
        int status = response.statusCode();
        statusCounts.merge(status, 1, Integer::sum);
        String body = response.body() == null ? "" : response.body();
        if (status >= 500) {
            failures.add(status + " for " + attempt + " -> " + abbreviate(body));
        } else if (STACK_TRACE.matcher(body).find()) {
            failures.add("stack trace in " + status + " for " + attempt + " -> " + abbreviate(body));
        } else if (CLASS_NAME.matcher(body).find()) {
            Matcher name = CLASS_NAME.matcher(body);
            name.find();
            failures.add("class name '" + name.group() + "' in " + status + " for " + attempt + " -> "
                    + abbreviate(body));
        } else if (status >= 400 && !explainsItself(body, fhir)) {
            failures.add("unexplained " + status + " for " + attempt + " -> " + abbreviate(body));
        }
        if (status >= 400 && !attempt.method().equals("GET") && stored() != storedBefore) {
            failures.add("a refused write changed the store: " + status + " for " + attempt);
        }
    }

    /**
     * Every version of every resource stored, as one number that any write changes. Binary files of exports that
     * other tests of this context may still be writing in the background are not counted.
     */
    private long stored() {
        return jdbc.queryForObject("SELECT count(*) FROM hfj_res_ver WHERE res_type <> 'Binary'", Long.class);
    }

    /** A FHIR refusal is an OperationOutcome; a CDS Hooks or web API refusal is JSON with status and message. */
    private static boolean explainsItself(String body, boolean fhir) {
        if (fhir) {
            return body.contains("OperationOutcome");
        }
        try {
            JsonNode error = JSON.readTree(body);
            return error != null && error.hasNonNull("status") && error.hasNonNull("message");
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> send(Attempt attempt) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + legalInUri(attempt.path())))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", attempt.path().startsWith("/fhir") ? "application/fhir+json" : "application/json");
        if (attempt.contentType() != null) {
            request.header("Content-Type", attempt.contentType());
        }
        attempt.headers().forEach((name, value) -> {
            if (!name.equals("Content-Type")) {
                request.header(name, value);
            }
        });
        request.method(attempt.method(), attempt.body().length == 0 && !attempt.method().equals("POST")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(attempt.body()));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    // --- seeds -------------------------------------------------------------------------------------------------

    private static List<Target> targets() throws IOException {
        List<Target> targets = new ArrayList<>();
        JsonNode orderSign = JSON.readTree("""
                {"hook": "order-sign", "hookInstance": "0b6d5f7e-2f3a-4d1b-9d8e-5b1f2c3d4e5f",
                 "fhirServer": "http://127.0.0.1:9/fhir",
                 "context": {"userId": "Practitioner/example", "patientId": "hostile-1",
                   "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [{"resource":
                     {"resourceType": "MedicationRequest", "id": "draft-1", "status": "draft", "intent": "order",
                      "subject": {"reference": "Patient/hostile-1"}, "authoredOn": "2026-11-20",
                      "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                        "code": "1049683"}]}}}]}},
                 "prefetch": {"medicationAdministrations": {"resourceType": "Bundle", "type": "searchset",
                   "entry": [{"resource": {"resourceType": "MedicationAdministration", "id": "ma-1",
                     "status": "completed", "subject": {"reference": "Patient/hostile-1"},
                     "effectiveDateTime": "2026-11-14T10:00:00Z",
                     "medicationCodeableConcept": {"coding": [{"system":
                       "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "637213"}]}}}]}}}
                """);
        JsonNode patientView = JSON.readTree("""
                {"hook": "patient-view", "hookInstance": "8f2d8c4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
                 "context": {"userId": "Practitioner/example", "patientId": "hostile-2"}}
                """);
        JsonNode feedback = JSON.readTree("""
                {"feedback": [{"card": "9a7e7c2e-5a9b-4d6c-8f1e-2b3c4d5e6f70", "outcome": "overridden",
                  "outcomeTimestamp": "2026-11-20T10:00:00Z",
                  "overrideReason": {"reason": {"code": "patient-informed", "system":
                    "https://ntx.example.org/fhir/CodeSystem/ntx"}, "userComment": "ok"}}]}
                """);
        targets.add(new Target("POST", "/cds-services/naltrexone-order-sign", orderSign, false));
        targets.add(new Target("POST", "/cds-services/naltrexone-order-select", orderSign, false));
        targets.add(new Target("POST", "/cds-services/naltrexone-patient-view", patientView, false));
        targets.add(new Target("POST", "/cds-services/naltrexone-order-sign/feedback", feedback, false));
        targets.add(new Target("POST", "/api/cds-services/naltrexone-order-sign", orderSign, false));

        for (String example : List.of("MedicationRequest-ntx-mr-injection.json", "MedicationRequest-ntx-mr-oral.json",
                "MedicationAdministration-ntx-ma-injection.json", "Observation-ntx-lft-alt.json",
                "CarePlan-ntx-careplan.json")) {
            JsonNode resource = JSON.readTree(Files.readString(Path.of("fhir-profiles", "example", example)));
            String type = resource.get("resourceType").asText();
            ((ObjectNode) resource).remove("id");
            targets.add(new Target("POST", "/fhir/" + type, resource, true));
            targets.add(new Target("POST", "/fhir/" + type + "/$validate", resource, true));
        }
        JsonNode patient = JSON.readTree("""
                {"resourceType": "Patient", "id": "hostile-3", "active": true, "birthDate": "1980-02-29",
                 "name": [{"family": "Example", "given": ["Pat"]}], "gender": "female"}
                """);
        targets.add(new Target("PUT", "/fhir/Patient/hostile-3", patient, true));
        JsonNode transaction = JSON.readTree("""
                {"resourceType": "Bundle", "type": "transaction", "entry": [
                  {"fullUrl": "urn:uuid:4f1c1e0a-0000-4000-8000-000000000001",
                   "resource": {"resourceType": "Patient", "active": true},
                   "request": {"method": "POST", "url": "Patient"}},
                  {"resource": {"resourceType": "Observation", "status": "final",
                     "code": {"coding": [{"system": "http://loinc.org", "code": "1742-6"}]},
                     "subject": {"reference": "urn:uuid:4f1c1e0a-0000-4000-8000-000000000001"},
                     "effectiveDateTime": "2026-11-01", "valueQuantity": {"value": 30, "unit": "U/L"}},
                   "request": {"method": "POST", "url": "Observation"}}]}
                """);
        targets.add(new Target("POST", "/fhir", transaction, true));
        JsonNode check = JSON.readTree("""
                {"resourceType": "Parameters", "parameter": [{"name": "order", "resource":
                  {"resourceType": "MedicationRequest", "status": "draft", "intent": "order",
                   "subject": {"reference": "Patient/hostile-3"},
                   "medicationCodeableConcept": {"coding": [{"system":
                     "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "1049683"}]}}}]}
                """);
        targets.add(new Target("POST", "/fhir/Patient/hostile-3/$naltrexone-check", check, true));
        JsonNode outcomes = JSON.readTree("""
                {"resourceType": "Parameters", "parameter": [{"name": "start", "valueDate": "2025-01-01"},
                  {"name": "end", "valueDate": "2026-01-01"}]}
                """);
        targets.add(new Target("POST", "/fhir/$naltrexone-outcomes", outcomes, true));
        return targets;
    }

    // --- mutations ---------------------------------------------------------------------------------------------

    private static Map<String, Function<JsonNode, byte[]>> mutations(SplittableRandom random) {
        Map<String, Function<JsonNode, byte[]>> mutations = new LinkedHashMap<>();
        mutations.put("unchanged", HostileInputIT::bytes);
        mutations.put("truncated", node -> {
            byte[] whole = bytes(node);
            return java.util.Arrays.copyOf(whole, random.nextInt(Math.max(1, whole.length)));
        });
        mutations.put("wrong type", node -> {
            replaceRandomValue(node, random, oneOf(random, JsonNodeFactory.instance.numberNode(42),
                    JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.arrayNode().add("x"),
                    JsonNodeFactory.instance.objectNode().put("unexpected", 1), JsonNodeFactory.instance.nullNode(),
                    TextNode.valueOf("not-the-right-type")));
            return bytes(node);
        });
        mutations.put("huge string", node -> {
            replaceRandomValue(node, random, TextNode.valueOf("x".repeat(200_000 + random.nextInt(100_000))));
            return bytes(node);
        });
        mutations.put("deep nesting", node -> {
            int depth = 500 + random.nextInt(20_000);
            String open = random.nextBoolean() ? "[" : "{\"a\":";
            String close = open.equals("[") ? "]" : "}";
            String nested = open.repeat(depth) + "1" + close.repeat(depth);
            String json = bytesAsString(node);
            int brace = json.lastIndexOf('}');
            return (json.substring(0, Math.max(brace, 1)) + ",\"nested\":" + nested + "}")
                    .getBytes(StandardCharsets.UTF_8);
        });
        mutations.put("invalid date", node -> {
            replaceRandomValue(node, random, TextNode.valueOf(oneOf(random, "2026-13-45", "2026-02-30T25:61:00Z",
                    "yesterday", "", "0000-00-00", "99999-01-01", "2026-11-20T10:00:00+99:00")));
            return bytes(node);
        });
        mutations.put("unknown code", node -> {
            replaceRandomValue(node, random, JsonNodeFactory.instance.objectNode()
                    .put("system", "urn:unknown:" + random.nextInt(1000)).put("code", "no-such-code-" + random.nextInt()));
            return bytes(node);
        });
        mutations.put("removed field", node -> {
            removeRandomField(node, random);
            return bytes(node);
        });
        mutations.put("wrong resourceType", node -> {
            if (node instanceof ObjectNode object) {
                object.put(object.has("resourceType") ? "resourceType" : "hook",
                        oneOf(random, "NoSuchType", "", "Patient", "../../etc", "medication-prescribe"));
            }
            return bytes(node);
        });
        mutations.put("not json", node -> oneOf(random, "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"true\"/>",
                "null", "[]", "\"just a string\"", "{}", "{\"resourceType\":", "\u0000\u0001\u0002",
                "{\"a\":1,\"a\":2}").getBytes(StandardCharsets.UTF_8));
        mutations.put("random bytes", node -> {
            byte[] noise = new byte[1 + random.nextInt(4096)];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (byte) random.nextInt(256);
            }
            return noise;
        });
        mutations.put("wrong content type", HostileInputIT::bytes);
        return mutations;
    }

    private static String contentType(SplittableRandom random, boolean fhir, String mutation) {
        if (mutation.equals("wrong content type")) {
            return oneOf(random, "text/plain", "application/xml", "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded", "image/png", "not a media type", null);
        }
        return fhir ? "application/fhir+json" : "application/json";
    }

    /** URLs that are wrong in themselves: impossible ids, parameters of the wrong kind, paths that go nowhere. */
    private static List<Attempt> hostileUrls(SplittableRandom random) {
        List<String> paths = new ArrayList<>(List.of(
                "/fhir/Patient/" + "a".repeat(300),
                "/fhir/Patient/%00",
                "/fhir/Patient/..%2F..%2Fetc%2Fpasswd",
                "/fhir/Patient?_count=-1",
                "/fhir/Patient?_count=abc",
                "/fhir/Patient?birthdate=notadate",
                "/fhir/Observation?date=gt2026-13-45",
                "/fhir/Patient?_sort=no-such-param",
                "/fhir/Patient?no-such-param=1",
                "/fhir/MedicationRequest?patient=Patient/%27%20OR%201=1",
                "/fhir/NoSuchType",
                "/fhir/Patient/hostile-3/$naltrexone-status?asOf=notadate",
                "/fhir/$naltrexone-outcomes?start=2026-13-01&end=2026-01-01",
                "/fhir/$naltrexone-outcomes?start=2027-01-01&end=2026-01-01",
                "/fhir/$naltrexone-outcomes?start=abc",
                "/fhir/Patient/hostile-3/_history/notanumber",
                "/fhir/Patient?_include=*&_revinclude=*&_count=100000",
                "/api/patients/" + "b".repeat(100) + "/timeline",
                "/api/patients/%3Cscript%3E/timeline",
                "/cds-services/no-such-service",
                "/cds-services/naltrexone-order-sign/feedback/extra"));
        List<Attempt> attempts = new ArrayList<>();
        for (String path : paths) {
            String method = path.startsWith("/cds-services") ? "POST" : "GET";
            attempts.add(new Attempt(method, path, "application/json", "{}".getBytes(StandardCharsets.UTF_8), "url"));
        }
        for (int i = 0; i < 30; i++) {
            StringBuilder id = new StringBuilder();
            for (int c = 0; c < 1 + random.nextInt(80); c++) {
                id.append((char) ('!' + random.nextInt(94)));
            }
            String encoded = java.net.URLEncoder.encode(id.toString(), StandardCharsets.UTF_8);
            attempts.add(new Attempt("GET", "/fhir/Patient/" + encoded + "/$naltrexone-status", null, new byte[0],
                    "random id"));
        }
        return attempts;
    }

    // --- JSON helpers ------------------------------------------------------------------------------------------

    private static void replaceRandomValue(JsonNode root, SplittableRandom random, JsonNode replacement) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            object.set(names.get(random.nextInt(names.size())), replacement);
        } else if (container instanceof ArrayNode array && array.size() > 0) {
            array.set(random.nextInt(array.size()), replacement);
        }
    }

    private static void removeRandomField(JsonNode root, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object && object.size() > 0) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            object.remove(names.get(random.nextInt(names.size())));
        } else if (container instanceof ArrayNode array && array.size() > 0) {
            array.remove(random.nextInt(array.size()));
        }
    }

    private static void collectContainers(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collectContainers(child, into));
        }
    }

    @SafeVarargs
    private static <T> T oneOf(SplittableRandom random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static byte[] bytes(JsonNode node) {
        return bytesAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    private static String bytesAsString(JsonNode node) {
        return node.toString();
    }

    /** Characters Java's URI refuses outright are sent percent-encoded (the server sees the same after decoding). */
    private static String legalInUri(String path) {
        StringBuilder legal = new StringBuilder();
        for (char c : path.toCharArray()) {
            legal.append(" |\"<>{}^`\\".indexOf(c) >= 0 ? "%%%02X".formatted((int) c) : String.valueOf(c));
        }
        return legal.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "..." : text;
    }
}
