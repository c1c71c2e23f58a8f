package org.ntx.persistence;

import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import org.hibernate.dialect.Dialect;

import java.util.Locale;

/**
 * HAPI needs its own Hibernate dialects (they add the sequences and index names HAPI relies on). We pick one from
 * the JDBC URL so that switching {@code spring.datasource.url} from the embedded H2 file to PostgreSQL is the only
 * change an operator has to make.
 */
enum HapiDialect {
    H2(HapiFhirH2Dialect.class),
    POSTGRESQL(HapiFhirPostgresDialect.class);

    private final Class<? extends Dialect> dialectClass;

    HapiDialect(Class<? extends Dialect> dialectClass) {
        this.dialectClass = dialectClass;
    }

    static HapiDialect forJdbcUrl(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException(
                "Unsupported database URL '" + jdbcUrl + "': use jdbc:h2:file:... or jdbc:postgresql://...");
    }

    String className() {
        return dialectClass.getName();
    }

    Dialect newInstance() {
        try {
            return dialectClass.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + dialectClass.getName(), e);
        }
    }
}
