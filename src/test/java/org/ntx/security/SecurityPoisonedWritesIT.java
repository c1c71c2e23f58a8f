package org.ntx.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that could not be read back, or that would be stored with parts silently dropped, are refused with 400 and
 * an OperationOutcome, XML and JSON alike, and nothing is stored: a decimal that is no JSON number ({@code 5.}),
 * unknown or misspelt elements, values of the wrong JSON type, invalid values, invalid UTF-8, XML in a foreign
 * namespace, numbers beyond range, unpaired surrogates and control characters.
 */
@SecuredIntegrationTest
class SecurityPoisonedWritesIT {

    private static final String OBSERVATION_XML = "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/>"
            + "<code><text value=\"alt\"/></code>%s</Observation>";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    final String admin = TestTokens.fhirAccessToken("admin", "user/*.cruds", null);
    TestHttp http;

    @BeforeEach
    void connect() {
        http = new TestHttp(port);
    }

    @Test
    void refusesEveryWriteThatWouldNotReadBackAndStoresNothing() {
        Map<String, byte[]> xml = new LinkedHashMap<>();
        xml.put("decimal 5.", xmlBody("<valueQuantity><value value=\"5.\"/></valueQuantity>"));
        xml.put("decimal 1e400", xmlBody("<valueQuantity><value value=\"1e400\"/></valueQuantity>"));
        xml.put("unknown element", xmlBody("<valu value=\"5\"/>"));
        xml.put("invalid date", xmlBody("<effectiveDateTime value=\"2026-13-45\"/>"));
        xml.put("contained 5.", ("<Observation xmlns=\"http://hl7.org/fhir\"><contained><Observation><status value="
                + "\"final\"/><code><text value=\"x\"/></code><valueQuantity><value value=\"5.\"/></valueQuantity>"
                + "</Observation></contained><status value=\"final\"/><code><text value=\"alt\"/></code>"
                + "</Observation>").getBytes(StandardCharsets.UTF_8));
        xml.put("foreign namespace", "<Observation xmlns=\"http://example.org/other\"><status value=\"final\"/>"
                .concat("</Observation>").getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> jsonBodies = new LinkedHashMap<>();
        jsonBodies.put("unknown element", json("\"valu\": 5"));
        jsonBodies.put("wrong JSON type", json("\"valueQuantity\": {\"value\": \"5\"}"));
        jsonBodies.put("wrong JSON type (boolean)", json("\"valueBoolean\": \"yes\""));
        jsonBodies.put("invalid date", json("\"effectiveDateTime\": \"2026-13-45\""));
        jsonBodies.put("duplicate key", json("\"status\": \"amended\""));
        jsonBodies.put("number as a string", json("\"valueInteger\": \"5\""));
        jsonBodies.put("1e400", json("\"valueQuantity\": {\"value\": 1e400}"));
        jsonBodies.put("unpaired surrogate", json("\"valueString\": \"\\ud800\""));
        jsonBodies.put("control character", json("\"valueString\": \"bell\\u0007\""));
        byte[] invalidUtf8 = json("\"valueString\": \"x\"");
        invalidUtf8 = new String(invalidUtf8, StandardCharsets.ISO_8859_1).replace("\"x\"", "\"\u00ff\u00fe\"")
                .getBytes(StandardCharsets.ISO_8859_1);
        jsonBodies.put("invalid UTF-8", invalidUtf8);

        long before = stored();
        xml.forEach((name, body) -> assertRefused("XML " + name, "application/fhir+xml", body));
        jsonBodies.forEach((name, body) -> assertRefused("JSON " + name, "application/fhir+json", body));
        assertThat(stored()).as("nothing stored by a refused write").isEqualTo(before);

        // The same body written correctly is stored.
        assertThat(send("application/fhir+xml", xmlBody("<valueQuantity><value value=\"5.0\"/></valueQuantity>"))
                .statusCode()).isEqualTo(201);
    }

    private void assertRefused(String name, String type, byte[] body) {
        for (String method : new String[] {"POST", "PUT"}) {
            HttpResponse<String> answer = method.equals("POST") ? send(type, body)
                    : http.send(http.request("/fhir/Observation/poisoned-put", admin).header("Content-Type", type)
                    .header("Accept", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofByteArray(
                            put(body))).build());
            assertThat(answer.statusCode()).as(method + " " + name + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.body()).as(name).contains("OperationOutcome").doesNotContain("\tat ");
        }
    }

    private static byte[] put(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return (text.startsWith("<") ? text.replaceFirst("<status", "<id value=\"poisoned-put\"/><status")
                : text.replaceFirst("\\{", "{\"id\": \"poisoned-put\", ")).getBytes(StandardCharsets.ISO_8859_1);
    }

    private HttpResponse<String> send(String type, byte[] body) {
        return http.send(http.request("/fhir/Observation", admin).header("Content-Type", type)
                .header("Accept", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** Observation versions stored so far (audit records, written alongside, are not counted). */
    private long stored() {
        return jdbc.queryForObject("SELECT count(*) FROM hfj_res_ver WHERE res_type = 'Observation'", Long.class);
    }

    private static byte[] xmlBody(String value) {
        return OBSERVATION_XML.formatted(value).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String field) {
        return ("{\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"text\": \"alt\"}, " + field
                + "}").getBytes(StandardCharsets.UTF_8);
    }
}
