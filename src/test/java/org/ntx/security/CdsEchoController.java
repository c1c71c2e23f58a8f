package org.ntx.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Test only: a CDS service stand-in behind the real CDS client authentication, used the way the CDS controller is
 * meant to use the security package: the verified client as {@link Principal}, one {@link AuditTrail#cdsCall} per
 * call. Answers with no cards and the client it saw.
 */
@TestComponent
@RestController
class CdsEchoController {

    static final String PATH = "/cds-services/test-echo";

    private final AuditTrail audit;
    private final ObjectMapper json;

    CdsEchoController(AuditTrail audit, ObjectMapper json) {
        this.audit = audit;
        this.json = json;
    }

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> call(@RequestBody String body, Principal client) throws IOException {
        JsonNode request = json.readTree(body);
        JsonNode context = request.path("context");
        audit.cdsCall(new CdsAuditRecord("test-echo", request.path("hook").asText(null),
                request.path("hookInstance").asText(null), client == null ? null : client.getName(),
                context.path("userId").asText(null), context.path("patientId").asText(null), 0, List.of(), 200));
        return Map.of("cards", List.of(), "client", client == null ? "anonymous" : client.getName());
    }
}
