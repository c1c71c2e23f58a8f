package org.ntx.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the operator, once, where the FHIR API answers. */
@Component
class ReadyLog {

    private static final Logger log = LoggerFactory.getLogger(ReadyLog.class);

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        String address = env.getProperty("server.address", "localhost");
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        log.info("Naltrexone FHIR Service ready. FHIR base URL: http://{}:{}{}", address, port,
                FhirEndpointConfig.FHIR_PATH);
    }
}
