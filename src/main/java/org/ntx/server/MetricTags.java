package org.ntx.server;

import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code /actuator/prometheus} is open and must not name Java classes: Spring tags each HTTP request metric with the
 * simple name of the exception it ended in. The tag keeps saying whether there was one ({@code none} or
 * {@code error}); which one is in the log.
 */
@Configuration(proxyBeanMethods = false)
class MetricTags {

    @Bean
    MeterFilter exceptionTagWithoutClassNames() {
        return MeterFilter.replaceTagValues("exception", value -> "none".equals(value) ? value : "error");
    }
}
