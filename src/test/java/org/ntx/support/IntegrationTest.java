package org.ntx.support;

import org.ntx.Application;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one configuration every {@code *IT} uses: the real application on a real PostgreSQL, on a random loopback
 * port. Keeping it identical lets Spring's context cache boot HAPI once for all integration tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1"})
@ContextConfiguration(initializers = PostgresInitializer.class)
// Spring's test support switches metrics export off unless asked; the Prometheus endpoint is part of the product.
@AutoConfigureObservability
public @interface IntegrationTest {}
