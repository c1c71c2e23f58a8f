package org.ntx.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Seeded hostile requests by family, beyond mutated JSON bodies: XML bodies with decimals that do not read back,
 * unknown elements, foreign namespaces and entities; JSON values of the wrong type, out of range, with unpaired
 * surrogates or control characters; invalid UTF-8; search parameters that cost (repeated sort keys, wildcard includes,
 * negative counts, deep chains, {@code _has}, NaN quantities); conditional headers and URLs that are no search;
 * conditional references; batches and transactions mixing all of those; patches in every format; odd methods and
 * content types; CDS calls with odd {@code fhirServer}s, drafts and prefetch; escaped and non-canonical paths.
 * The same seed gives the same requests, so a failure can be replayed.
 */
final class HostileRequests {

    /** One request: method, path (with query), headers, body, and the family it came from. */
    record Request(String method, String path, Map<String, String> headers, byte[] body, String family) {
        @Override
        public String toString() {
            String shown = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            return method + " " + path + " " + headers + " [" + family + "]: " + shown;
        }
    }

    private static final String OBSERVATION_XML = "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>"
            + "<code><coding><system value=\"http://loinc.org\"/><code value=\"1742-6\"/></coding></code>"
            + "<subject><reference value=\"Patient/hostile-3\"/></subject>%s</Observation>";

    private static final List<String> DECIMALS = List.of("5.", ".5", "+5", "05", "5e", "1e400", "-1e-400",
            "1e99999999", "NaN", "Infinity", "-0", "0x10", "5,0", " 5", "5 ", "", "1_000", "\u0665");

    private static final List<String> STRINGS = List.of("\\ud800", "\\udc00x", "\\u0000", "\\u0007", "\\u001b[31m",
            "\\ud83d", "x\\ud800\\ud800", "\\uffff", "\\ufeff");

    private static final List<String> SEARCHES = List.of(
            "Patient?_sort=name,name,name,name,name,name,name,name", "Patient?_sort=-name,name", "Patient?_sort=",
            "Patient?_sort=a,b,c,d,e", "Patient?_include=*", "Patient?_revinclude=*&_revinclude:iterate=*",
            "Observation?_include=Observation:*", "Patient?_count=-1", "Patient?_count=-99999999999",
            "Patient?_offset=-1", "Patient?_offset=99999999999999", "Patient?_count=1e3", "Patient?_offset=0x10",
            "Observation?value-quantity=NaN", "Observation?value-quantity=Infinity", "Observation?value-quantity=abc",
            "Observation?value-quantity=gt1e400", "Observation?value-quantity=|||", "Observation?value-quantity=5|",
            "Observation?value-quantity=ap5.|http://unitsofmeasure.org|U/L", "Observation?date=gt2026-13-45",
            "Observation?date=ge", "Observation?subject.subject.subject.subject.name=x",
            "Observation?subject:Patient.organization.partof.partof.name=x", "Patient?_has=x", "Patient?_has:=x",
            "Patient?_has:Observation=x", "Patient?_has:Observation:patient=x", "Patient?_has:Nope:patient:code=x",
            "Patient?_has:Observation:patient:_has:Observation:patient:_has:Observation:patient:code=x",
            "Patient?_filter=name%20eq%20x", "Patient?_text=x", "Patient?_content=x", "Patient?_list=1",
            "Patient?_query=x", "Patient?_summary=garbage", "Patient?_elements=*", "Patient?_total=accurate",
            "Patient?_format=text/turtle", "Patient?name:missing=maybe", "Patient?name=%ED%A0%80",
            "Patient?name=%FF%FE", "Patient?name=" + "x".repeat(5000), "Patient?_id=" + "1,".repeat(2000) + "1",
            "Patient?identifier=%7C%7C%7C", "Patient?birthdate=2026-02-30", "Observation?code:in=x",
            "Observation?code:below=x", "Patient?_lastUpdated=gt", "Patient?_security=|", "Patient?_tag:not=|",
            "Observation?patient=Patient/", "Observation?patient=../../etc", "Patient?_sort=_score",
            "Patient?_sort=patient.name", "Observation?_sort=subject:Patient.name", "Patient?_contained=both",
            "Patient?_containedType=contained", "Patient/$everything?_count=-5", "Patient?_id:above=1",
            "Patient?_revinclude=Observation:subject&_revinclude=Condition:subject&_revinclude=Encounter:subject"
                    + "&_revinclude=Procedure:subject&_revinclude=Immunization:patient&_revinclude=Claim:patient");

    private static final List<String> IF_NONE_EXIST = List.of("?", "", "*", "Patient?", "name", "=x", "?name=x",
            "Patient?name=x", "identifier=x|1&_has:Observation:patient:code=x", "subject.name=x", "_sort=name,name",
            "http://evil.example/Patient?name=x", "NoSuchType?x=1", "\u0000", "name=%ED%A0%80");

    private static final List<String> CONDITIONAL_REFERENCES = List.of("?", "Patient?", "?name=x", "Patient??",
            "Patient?name", "NoSuchType?x=1", "Patient?name:missing=true", "Patient?_has:Observation:patient:code=x",
            "/Patient?name=x", "Patient?_id=hostile-3", "Patient?name=x&name=y", "#", "#missing", "urn:uuid:not-a-uuid",
            "Patient/", "/", "Patient/../../x", "Patient/" + "a".repeat(200));

    /** (TRACE: Java's client sends it with a length header, which Tomcat refuses bodiless; SecurityPathVariantsIT sends it raw.) */
    private static final List<String> METHODS = List.of("FOO", "PROPFIND", "get", "MKCOL", "LOCK", "BREW");

    private static final List<String> ROUTES = List.of("/fhir/Patient", "/fhir/Patient/hostile-3",
            "/fhir/Patient/hostile-3/$everything", "/fhir/Patient/hostile-3/$naltrexone-status", "/fhir",
            "/cds-services", "/cds-services/naltrexone-order-sign", "/cds-services/naltrexone-order-sign/feedback",
            "/api/patients/hostile-3/timeline", "/api/cds-services/naltrexone-patient-view", "/actuator/health",
            "/fhir/metadata", "/fhir/$export", "/fhir/MedicationRequest/$naltrexone-check");

    private static final List<String> CONTENT_TYPES = List.of("*/*", "application/*", "application/json; charset=ebcdic",
            "application/fhir+json; charset=UTF-16", "text/html", "application/fhir+json;;;", "application/x-www-form-urlencoded",
            "application/xml-patch+xml", "application/json-patch+json", "application/fhir+xml; charset=latin1");

    private final SplittableRandom random;

    HostileRequests(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} requests drawn from every family in turn. */
    List<Request> draw(int count) {
        List<Supplier<Request>> families = List.of(this::xmlBody, this::jsonValue, this::invalidUtf8, this::search,
                this::conditionalHeader, this::conditionalUrl, this::conditionalReference, this::bundle, this::patch,
                this::oddMethod, this::oddContentType, this::cdsCall, this::escapedPath);
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(families.get(i % families.size()).get());
        }
        requests.add(largeBundle());
        return requests;
    }

    private Request xmlBody() {
        String body = switch (random.nextInt(8)) {
            case 0 -> OBSERVATION_XML.formatted("<valueQuantity><value value=\"" + xmlEscape(pick(DECIMALS))
                    + "\"/><unit value=\"U/L\"/></valueQuantity>");
            case 1 -> OBSERVATION_XML.formatted("<valu value=\"5\"/>");
            case 2 -> OBSERVATION_XML.formatted("").replace("http://hl7.org/fhir", pick(List.of(
                    "http://example.org/other", "", "http://hl7.org/fhir/", "HTTP://HL7.ORG/FHIR")));
            case 3 -> "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                    + OBSERVATION_XML.formatted("<valueString value=\"&e;\"/>");
            case 4 -> OBSERVATION_XML.formatted("<effectiveDateTime value=\"" + pick(List.of("2026-13-45",
                    "yesterday", "2026-02-30T25:61:00Z", "")) + "\"/>");
            case 5 -> OBSERVATION_XML.formatted("<valueString value=\"&#xD800;\"/>");
            case 6 -> OBSERVATION_XML.formatted("<contained><Observation><status value=\"final\"/><code><text value="
                    + "\"x\"/></code><valueQuantity><value value=\"" + xmlEscape(pick(DECIMALS))
                    + "\"/></valueQuantity></Observation></contained>");
            default -> OBSERVATION_XML.formatted("<valueQuantity><value value=\"5\"/></valueQuantity>")
                    .substring(0, random.nextInt(40, 120));
        };
        String method = random.nextBoolean() ? "POST" : "PUT";
        String path = method.equals("POST") ? "/fhir/Observation" : "/fhir/Observation/hostile-xml";
        if (method.equals("PUT")) {
            body = body.replaceFirst("<status", "<id value=\"hostile-xml\"/><status");
        }
        return new Request(method, path, Map.of("Content-Type", "application/fhir+xml"), utf8(body), "xml");
    }

    private Request jsonValue() {
        String field = switch (random.nextInt(7)) {
            case 0 -> "\"valueQuantity\": {\"value\": \"" + pick(DECIMALS) + "\"}";
            case 1 -> "\"valueQuantity\": {\"value\": " + pick(List.of("1e400", "-1e400", "1e99999999", "5.",
                    "00", "-", "1.5e", "[1]", "{}", "true", "null")) + "}";
            case 2 -> "\"valueString\": \"" + pick(STRINGS) + "\"";
            case 3 -> "\"status\": " + pick(List.of("1", "true", "[\"final\"]", "{}", "null", "\"FINAL\"", "\"\""));
            case 4 -> "\"issued\": \"" + pick(List.of("2026-13-45T00:00:00Z", "now", "2026", "2026-01-01T00:00:00"))
                    + "\"";
            case 5 -> "\"valu\": 5, \"valueQuantity\": {\"valu\": 5}";
            default -> "\"extension\": [{\"url\": \"" + pick(List.of("", "x", "http://x")) + "\", \"valueString\": "
                    + "\"a\", \"extension\": [{\"url\": \"y\", \"valueInteger\": " + pick(List.of("99999999999",
                    "1.5", "\"1\"", "-0")) + "}]}]";
        };
        String body = "{\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"text\": \"alt\"},"
                + " \"subject\": {\"reference\": \"Patient/hostile-3\"}, " + field + "}";
        return new Request("POST", "/fhir/Observation", Map.of("Content-Type", "application/fhir+json"), utf8(body),
                "json value");
    }

    private Request invalidUtf8() {
        byte[] prefix = utf8("{\"resourceType\": \"Patient\", \"name\": [{\"family\": \"");
        byte[][] bad = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
        byte[] suffix = utf8("\"}]}");
        byte[] chosen = bad[random.nextInt(bad.length)];
        byte[] body = new byte[prefix.length + chosen.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(chosen, 0, body, prefix.length, chosen.length);
        System.arraycopy(suffix, 0, body, prefix.length + chosen.length, suffix.length);
        String path = pick(List.of("/fhir/Patient", "/cds-services/naltrexone-patient-view",
                "/cds-services/naltrexone-order-sign/feedback"));
        return new Request("POST", path, Map.of("Content-Type", path.startsWith("/fhir") ? "application/fhir+json"
                : "application/json"), body, "invalid utf-8");
    }

    private Request search() {
        String search = pick(SEARCHES);
        return random.nextInt(4) == 0
                ? new Request("POST", "/fhir/" + search.substring(0, search.indexOf('?')) + "/_search",
                Map.of("Content-Type", "application/x-www-form-urlencoded"),
                utf8(search.substring(search.indexOf('?') + 1)), "search by POST")
                : new Request("GET", "/fhir/" + search, Map.of(), new byte[0], "search");
    }

    private Request conditionalHeader() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/fhir+json");
        switch (random.nextInt(4)) {
            case 0 -> headers.put("If-None-Exist", pick(IF_NONE_EXIST).replace("\u0000", "%00"));
            case 1 -> headers.put("If-Match", pick(List.of("garbage", "W/\"\"", "W/\"abc\"", "\"-1\"", "*",
                    "W/\"99999999999999999999\"", "W/3")));
            case 2 -> headers.put("Prefer", pick(List.of("return=banana", "handling=strict", "respond-async",
                    "return=representation, return=minimal")));
            default -> headers.put("If-Modified-Since", pick(List.of("yesterday", "", "Mon, 99 Foo 2026")));
        }
        boolean put = headers.containsKey("If-Match");
        String body = "{\"resourceType\": \"Patient\"" + (put ? ", \"id\": \"hostile-3\"" : "")
                + ", \"active\": true}";
        return new Request(put ? "PUT" : "POST", put ? "/fhir/Patient/hostile-3" : "/fhir/Patient", headers,
                utf8(body), "conditional header");
    }

    private Request conditionalUrl() {
        String query = pick(List.of("", "name=", "_id=", "name=x&name=y", "_sort=name", "subject.name=x",
                "_has:Observation:patient:code=x", "identifier=%7C", "_count=-1", "name:missing=maybe"));
        String method = pick(List.of("PUT", "DELETE", "PATCH"));
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        if (method.equals("PUT")) {
            headers.put("Content-Type", "application/fhir+json");
            body = utf8("{\"resourceType\": \"Patient\", \"active\": true}");
        } else if (method.equals("PATCH")) {
            headers.put("Content-Type", "application/json-patch+json");
            body = utf8("[{\"op\": \"replace\", \"path\": \"/active\", \"value\": false}]");
        }
        return new Request(method, "/fhir/Patient?" + query, headers, body, "conditional url");
    }

    private Request conditionalReference() {
        String body = "{\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"text\": \"x\"},"
                + " \"subject\": {\"reference\": \"" + pick(CONDITIONAL_REFERENCES) + "\"}, \"performer\": [{"
                + "\"reference\": \"" + pick(CONDITIONAL_REFERENCES) + "\"}]}";
        return new Request("POST", "/fhir/Observation", Map.of("Content-Type", "application/fhir+json"), utf8(body),
                "conditional reference");
    }

    private Request bundle() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(5); i++) {
            entries.add(switch (random.nextInt(8)) {
                case 0 -> "{\"request\": {\"method\": \"GET\", \"url\": \"" + pick(SEARCHES) + "\"}}";
                case 1 -> "{\"request\": {\"method\": \"GET\", \"url\": \"" + pick(List.of("Patient/hostile-3",
                        "Patient/", "/", "http://evil.example/Patient/1", "Patient/hostile-3/_history/x",
                        "Patient/hostile-3/$everything?_count=-1", "metadata", "$export")) + "\"}}";
                case 2 -> "{\"resource\": {\"resourceType\": \"Patient\"}, \"request\": {\"method\": \"POST\","
                        + " \"url\": \"Patient\", \"ifNoneExist\": \"" + pick(IF_NONE_EXIST).replace("\u0000", "")
                        + "\"}}";
                case 3 -> "{\"resource\": {\"resourceType\": \"Patient\"}, \"request\": {\"method\": \"PUT\","
                        + " \"url\": \"Patient?" + pick(List.of("", "name=", "x")) + "\"}}";
                case 4 -> "{\"request\": {\"method\": \"DELETE\", \"url\": \"Patient?" + pick(List.of("", "_id=",
                        "name=x")) + "\"}}";
                case 5 -> "{\"resource\": {\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {"
                        + "\"text\": \"x\"}, \"subject\": {\"reference\": \"" + pick(CONDITIONAL_REFERENCES)
                        + "\"}}, \"request\": {\"method\": \"POST\", \"url\": \"Observation\"}}";
                case 6 -> "{\"resource\": {\"resourceType\": \"Parameters\", \"parameter\": [{\"name\": \"operation\","
                        + " \"part\": [{\"name\": \"type\", \"valueCode\": \"" + pick(List.of("replace", "bogus", ""))
                        + "\"}]}]}, \"request\": {\"method\": \"PATCH\", \"url\": \"Patient/hostile-3\"}}";
                default -> "{\"resource\": {\"resourceType\": \"Patient\"}" + pick(List.of("",
                        ", \"request\": {}", ", \"request\": {\"method\": \"POST\"}",
                        ", \"request\": {\"method\": \"FOO\", \"url\": \"Patient\"}")) + "}";
            });
        }
        String type = pick(List.of("batch", "transaction", "batch-response", "document", "collection"));
        String body = "{\"resourceType\": \"Bundle\", \"type\": \"" + type + "\", \"entry\": ["
                + String.join(",", entries) + "]}";
        return new Request("POST", "/fhir", Map.of("Content-Type", "application/fhir+json"), utf8(body), "bundle");
    }

    private Request largeBundle() {
        String entry = "{\"request\": {\"method\": \"GET\", \"url\": \"Patient?_count=1\"}}";
        String body = "{\"resourceType\": \"Bundle\", \"type\": \"batch\", \"entry\": ["
                + String.join(",", Collections.nCopies(2000, entry)) + "]}";
        return new Request("POST", "/fhir", Map.of("Content-Type", "application/fhir+json"), utf8(body),
                "2000-entry batch");
    }

    private Request patch() {
        return switch (random.nextInt(4)) {
            case 0 -> new Request("PATCH", "/fhir/Patient/hostile-3", Map.of("Content-Type",
                    "application/json-patch+json"), utf8(pick(List.of("[{\"op\": \"add\", \"path\": \"/activ\","
                    + " \"value\": true}]", "[{\"op\": \"replace\", \"path\": \"/active\", \"value\": \"yes\"}]",
                    "[{\"op\": \"bogus\"}]", "{}", "[{\"op\": \"add\", \"path\": \"/birthDate\", \"value\":"
                    + " \"2026-13-45\"}]", "[{\"op\": \"add\", \"path\": \"/generalPractitioner\", \"value\": [{"
                    + "\"reference\": \"?\"}]}]", "[{\"op\": \"move\", \"from\": \"/id\", \"path\": \"/x\"}]"))),
                    "json patch");
            case 1 -> new Request("PATCH", "/fhir/Patient/hostile-3", Map.of("Content-Type",
                    "application/xml-patch+xml"), utf8(pick(List.of("<diff><bogus/></diff>", "<x/>", "not xml",
                    "<diff><add sel=\"/Patient\"><activ value=\"true\"/></add></diff>",
                    "<diff><replace sel=\"/Patient/id/@value\">x</replace></diff>"))), "xml patch");
            case 2 -> new Request("PATCH", "/fhir/Patient/hostile-3", Map.of("Content-Type",
                    "application/fhir+json"), utf8("{\"resourceType\": \"Parameters\", \"parameter\": [{\"name\":"
                    + " \"operation\", \"part\": [{\"name\": \"type\", \"valueCode\": \"" + pick(List.of("add",
                    "replace", "delete", "bogus")) + "\"}, {\"name\": \"path\", \"valueString\": \"" + pick(List.of(
                    "Patient", "Patient.active", "Patient.x(", "")) + "\"}, {\"name\": \"value\", \"valueString\":"
                    + " \"" + pick(STRINGS) + "\"}]}]}"), "fhirpath patch");
            default -> new Request("PATCH", "/fhir/Patient/hostile-3", Map.of("Content-Type",
                    pick(CONTENT_TYPES)), utf8("[]"), "patch content type");
        };
    }

    private Request oddMethod() {
        return new Request(pick(METHODS), pick(ROUTES), Map.of(), new byte[0], "method");
    }

    private Request oddContentType() {
        String route = pick(List.of("/fhir/Patient", "/cds-services/naltrexone-patient-view",
                "/cds-services/naltrexone-order-sign/feedback", "/api/cds-services/naltrexone-patient-view", "/fhir"));
        return new Request("POST", route, Map.of("Content-Type", pick(CONTENT_TYPES)),
                utf8("{\"resourceType\": \"Patient\", \"hook\": \"patient-view\"}"), "content type");
    }

    private Request cdsCall() {
        String fhirServer = pick(List.of("file:///etc/passwd", "gopher://127.0.0.1:9/", "http://[::1]:9/fhir",
                "http://127.0.0.1:9/fhir", "http://" + "a".repeat(300) + ".example/fhir", "ftp://x/", "http://",
                "http://127.0.0.1:9/fhir?x=1#y", "javascript:alert(1)", "http://user:pass@127.0.0.1:9/fhir"));
        String drafts = switch (random.nextInt(3)) {
            case 0 -> "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
                    + String.join(",", Collections.nCopies(101, "{\"resource\": {\"resourceType\":"
                    + " \"MedicationRequest\", \"status\": \"draft\", \"intent\": \"order\"}}")) + "]}";
            case 1 -> "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {\"resourceType\": \"MedicationRequest\","
                    + " \"status\": \"draft\", \"intent\": \"order\", \"dosageInstruction\": [{\"doseAndRate\": [{"
                    + "\"doseQuantity\": {\"value\": " + pick(List.of("1e400", "5.", "\"x\"", "-1")) + "}}]}]}}]}";
            default -> pick(List.of("[]", "\"x\"", "1", "{}", "{\"resourceType\": \"Patient\"}"));
        };
        String body = "{\"hook\": \"order-sign\", \"hookInstance\": \"" + pick(List.of("0b6d5f7e-2f3a-4d1b-9d8e-"
                + "5b1f2c3d4e5f", "", "x".repeat(300), "\\ud800")) + "\", \"fhirServer\": \"" + fhirServer
                + "\", \"fhirAuthorization\": {\"access_token\": \"lent\", \"token_type\": \"Bearer\"},"
                + " \"context\": {\"userId\": \"Practitioner/x\", \"patientId\": \"" + pick(List.of("hostile-1",
                "../../x", "", "a".repeat(65), "\\u0000")) + "\", \"draftOrders\": " + drafts + "},"
                + " \"prefetch\": {\"labObservations\": {\"resourceType\": \"Bundle\", \"entry\": [{\"resource\":"
                + " {\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"text\": \"x\"},"
                + " \"valueQuantity\": {\"value\": " + pick(List.of("5", "1e400", "\"5\"", "5.")) + "}}}]}}}";
        String route = pick(List.of("/cds-services/naltrexone-order-sign", "/cds-services/naltrexone-order-select",
                "/api/cds-services/naltrexone-order-sign"));
        return new Request("POST", route, Map.of("Content-Type", "application/json"), utf8(body), "cds call");
    }

    private Request escapedPath() {
        String route = pick(ROUTES);
        int at = 1 + random.nextInt(route.length() - 1);
        char c = route.charAt(at);
        String variant = switch (random.nextInt(5)) {
            case 0 -> route.substring(0, at) + "%%%02x".formatted((int) c) + route.substring(at + 1);
            case 1 -> route.replaceFirst("/", "//");
            case 2 -> route.replaceFirst("/([^/]+)", "/$1;x=1");
            case 3 -> "/./" + route.substring(1);
            default -> "/x/.." + route;
        };
        boolean post = route.contains("cds-services/") || route.endsWith("check");
        return new Request(post ? "POST" : "GET", variant, Map.of("Content-Type", "application/json"),
                post ? utf8("{\"hook\": \"patient-view\", \"hookInstance\": \"x\", \"context\": {\"patientId\": \"p\"}}")
                        : new byte[0], "escaped path");
    }

    private String pick(List<String> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String xmlEscape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
