package org.ntx.persistence;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import java.time.Duration;
import java.util.Optional;

/**
 * Every database session gets a statement timeout ({@code ntx.storage.statement-timeout}, default 30 s), so that no
 * single statement a request sets off can hold a connection and the request for minutes: PostgreSQL cancels it
 * ({@code statement_timeout}), H2 likewise ({@code QUERY_TIMEOUT}), and the request fails instead of waiting. Set on each
 * pooled connection as it is opened (Hikari's {@code connection-init-sql}); an operator's own init SQL is left alone.
 * {@code 0} turns the timeout off.
 */
@Configuration(proxyBeanMethods = false)
class StatementTimeout {

    @Bean
    static BeanPostProcessor statementTimeoutOnConnections(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HikariDataSource pool && !StringUtils.hasText(pool.getConnectionInitSql())) {
                    Duration timeout = Binder.get(environment).bind("ntx.storage.statement-timeout", Duration.class)
                            .orElse(StorageProperties.DEFAULT_STATEMENT_TIMEOUT);
                    initSql(pool.getJdbcUrl(), timeout).ifPresent(pool::setConnectionInitSql);
                }
                return bean;
            }
        };
    }

    /** The SQL that sets the timeout for one session of this database, if it is one we know. */
    static Optional<String> initSql(String jdbcUrl, Duration timeout) {
        if (jdbcUrl == null || timeout.isZero() || timeout.isNegative()) {
            return Optional.empty();
        }
        long millis = timeout.toMillis();
        return switch (HapiDialect.forJdbcUrl(jdbcUrl)) {
            case POSTGRESQL -> Optional.of("SET statement_timeout = " + millis);
            case H2 -> Optional.of("SET QUERY_TIMEOUT " + millis);
        };
    }
}
