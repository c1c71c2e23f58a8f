package org.ntx.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Applies {@link ExposurePolicy} before any other bean is created, so a server that must not start never opens a
 * database or binds a port; and repeats the warning once the server is ready when the operator chose to run open.
 */
@Configuration(proxyBeanMethods = false)
class ExposureGuardConfig {

    private static final Logger log = LoggerFactory.getLogger(ExposureGuardConfig.class);

    /** Runs with the other bean factory post-processors, i.e. before the web server or any data source exists. */
    @Bean
    static BeanFactoryPostProcessor exposureGuard(Environment environment) {
        return beanFactory -> {
            Exposure exposure = Exposure.of(environment);
            switch (exposure.decision()) {
                case REFUSED -> throw new InsecureExposureException(exposure.address());
                case OPEN_ON_NETWORK_BY_REQUEST -> warnOpen(exposure.address());
                default -> {
                }
            }
        };
    }

    @EventListener(ApplicationReadyEvent.class)
    void repeatWarningWhenReady(ApplicationReadyEvent event) {
        Exposure exposure = Exposure.of(event.getApplicationContext().getEnvironment());
        if (exposure.decision() == ExposurePolicy.Decision.OPEN_ON_NETWORK_BY_REQUEST) {
            warnOpen(exposure.address());
        }
    }

    private static void warnOpen(String address) {
        String shown = address == null || address.isBlank() ? "all interfaces" : address;
        log.warn("*****************************************************************************************");
        log.warn("* SECURITY WARNING: authentication is OFF and the server listens on {}.", shown);
        log.warn("* Anyone who can reach this port can read and change every patient record.");
        log.warn("* This is allowed only because ntx.security.allow-insecure=true. Set ntx.security.enabled=true");
        log.warn("* (with ntx.security.issuer and ntx.security.jwks) for anything but a development container.");
        log.warn("*****************************************************************************************");
    }

    /** The three settings the policy reads, bound the way Spring binds them (environment variables included). */
    private record Exposure(String address, ExposurePolicy.Decision decision) {
        static Exposure of(Environment environment) {
            Binder binder = Binder.get(environment);
            String address = binder.bind("server.address", String.class).orElse(null);
            boolean enabled = binder.bind("ntx.security.enabled", Boolean.class).orElse(false);
            boolean allowInsecure = binder.bind("ntx.security.allow-insecure", Boolean.class).orElse(false);
            return new Exposure(address, ExposurePolicy.decide(address, enabled, allowInsecure));
        }
    }

    /** Why the server refused to start, in words an operator can act on. */
    static final class InsecureExposureException extends IllegalStateException {
        InsecureExposureException(String address) {
            super("Refusing to start: authentication is off (ntx.security.enabled=false) and server.address is "
                    + (address == null || address.isBlank() ? "unset (all interfaces)" : "'" + address + "'")
                    + ", which is not a loopback address. Either turn authentication on (ntx.security.enabled=true"
                    + " with ntx.security.issuer and ntx.security.jwks), bind to 127.0.0.1, or, for a development"
                    + " container only, set ntx.security.allow-insecure=true.");
        }
    }
}
