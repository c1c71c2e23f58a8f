package org.ntx.security;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Test only: a CDS service stand-in behind the real CDS client authentication, used the way the CDS controller is
 * meant to use the security package: the verified client arrives as the {@link Principal}. Answers with no cards and
 * the client it saw.
 */
@TestComponent
@RestController
class CdsEchoController {

    static final String PATH = "/cds-services/test-echo";

    @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> call(@RequestBody String body, Principal client) {
        return Map.of("cards", List.of(), "client", client == null ? "anonymous" : client.getName());
    }
}
