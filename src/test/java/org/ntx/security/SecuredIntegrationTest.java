package org.ntx.security;

import org.ntx.Application;
import org.ntx.support.PostgresInitializer;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one configuration every security {@code *IT} shares: the real application with authentication on, on its own
 * PostgreSQL, trusting the TEST-ONLY keys under {@code src/test/resources/security/}. Every setting is fixed here (no
 * generated paths), so Spring's context cache boots it once for all of them: one Spring context besides
 * {@code @IntegrationTest}'s.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        classes = Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1",
                "ntx.security.enabled=true",
                "ntx.security.issuer=" + TestTokens.FHIR_ISSUER,
                "ntx.security.jwks=classpath:security/test-issuer-jwks.json",
                "ntx.security.cds-clients[0].issuer=" + TestTokens.SANDBOX_ISSUER,
                "ntx.security.cds-clients[0].jwks=classpath:security/test-cds-sandbox-jwks.json",
                // The one FHIR server the test client may name: a closed loopback port, so a call that is allowed
                // to read it fails fast with a data-unavailable card (SecurityCdsFetchIT).
                "ntx.security.cds-clients[0].fhir-servers[0]=" + SecuredIntegrationTest.ALLOWED_FHIR_SERVER,
                // Short enough for a test to see the database cancel a statement (SecurityCostBoundsIT).
                "ntx.storage.statement-timeout=" + SecuredIntegrationTest.STATEMENT_TIMEOUT})
@ContextConfiguration(initializers = PostgresInitializer.class)
@AutoConfigureObservability
@interface SecuredIntegrationTest {

    String ALLOWED_FHIR_SERVER = "http://127.0.0.1:9/fhir";
    String STATEMENT_TIMEOUT = "5s";
}
