package org.ntx.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts one PostgreSQL per Spring test context and points the application at it. The database lives exactly as
 * long as the (cached, shared) context, so no static state is needed.
 */
public class PostgresInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPostgres postgres = TestPostgres.start();
        context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("test-postgres", postgres.springProperties()));
        context.getBeanFactory().registerSingleton("testPostgres", postgres);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                postgres.close();
            }
        });
    }
}
