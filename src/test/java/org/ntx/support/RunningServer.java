package org.ntx.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.ntx.Application;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.Map;

/**
 * The whole application started the way an operator starts it (not through Spring's test support), for tests that
 * stop and start the server: restarts, two nodes, first run. Always on loopback and a free port.
 */
public final class RunningServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the application with these settings given as command-line arguments, which (unlike
     * {@code SpringApplicationBuilder.properties}, mere defaults) override application.yaml, as an operator's would.
     */
    public static RunningServer start(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>(properties);
        all.put("server.address", "127.0.0.1");
        all.put("server.port", "0");
        String[] args = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new RunningServer(new SpringApplicationBuilder(Application.class).run(args));
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public IGenericClient fhirClient() {
        return FhirTestClient.forPort(context.getBean(FhirContext.class), port());
    }

    public FhirContext fhirContext() {
        return context.getBean(FhirContext.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
