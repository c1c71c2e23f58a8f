package org.ntx.web;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * What the page's SMART launch ({@code static/smart-launch.js}) needs from this server: its client id and scopes.
 * Open, like the page itself: it holds no secret and no patient data.
 */
@RestController
class SmartLaunchConfig {

    static final String PATH = "/smart-launch-config";

    private final WebProperties properties;

    SmartLaunchConfig(WebProperties properties) {
        this.properties = properties;
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> config() {
        return Map.of("clientId", properties.smartClientId(), "scope", properties.smartScope());
    }
}
