package org.ntx.persistence;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each database session gets a statement timeout the database itself enforces (PostgreSQL: SecurityCostBoundsIT). */
class StatementTimeoutTest {

    @Test
    void setsTheTimeoutForEachKnownDatabaseAndNoneWhenZero() {
        assertThat(StatementTimeout.initSql("jdbc:postgresql://db/ntx", Duration.ofSeconds(30)))
                .contains("SET statement_timeout = 30000");
        assertThat(StatementTimeout.initSql("jdbc:h2:file:./data/ntx", Duration.ofMillis(1500)))
                .contains("SET QUERY_TIMEOUT 1500");
        assertThat(StatementTimeout.initSql("jdbc:h2:mem:x", Duration.ZERO)).isEmpty();
    }

    @Test
    void h2CancelsAStatementThatRunsPastIt() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:statement-timeout", "sa", "")) {
            connection.createStatement().execute(
                    StatementTimeout.initSql("jdbc:h2:mem:x", Duration.ofMillis(300)).orElseThrow());
            SQLException cancelled = catchThrowableOfType(() -> connection.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000000) A, SYSTEM_RANGE(1, 1000) B"),
                    SQLException.class);
            assertThat((Throwable) cancelled).isNotNull();
            assertThat(cancelled.getSQLState()).as("query cancelled").isEqualTo("57014");
        }
    }
}
