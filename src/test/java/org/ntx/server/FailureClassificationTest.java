package org.ntx.server;

import ca.uhn.fhir.parser.DataFormatException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are the database's absence, which are the client's input, and which are neither. */
class FailureClassificationTest {

    @Test
    void aMissingDatabaseIsAnOutageHoweverDeeplyWrapped() {
        assertThat(DatabaseOutage.isOutage(new CannotCreateTransactionException("no connection",
                new SQLTransientConnectionException("pool timed out")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new RuntimeException("wrapped",
                new SQLException("connection refused", "08001")))).isTrue();
        assertThat(DatabaseOutage.isOutage(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
    }

    @Test
    void aRollbackThatFailsOnAConnectionClosedByTheOutageIsAnOutage() {
        // Seen in DatabaseOutageIT: PostgreSQL stopped during a write; Spring reports the failed rollback instead.
        assertThat(DatabaseOutage.isOutage(new org.springframework.orm.jpa.JpaSystemException(
                new org.hibernate.TransactionException("Unable to rollback against JDBC Connection",
                        new SQLException("Connection is closed"))))).isTrue();
        assertThat(DatabaseOutage.isOutage(new RuntimeException(new SQLException("syntax error", "42601")))).isFalse();
    }

    @Test
    void otherDatabaseErrorsAreNotAnOutage() {
        assertThat(DatabaseOutage.isOutage(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
        assertThat(DatabaseOutage.isOutage(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void tooLongValuesAndParserCrashesAreTheClientsInput() {
        assertThat(UnreadableInput.classify(new DataIntegrityViolationException("insert",
                new SQLException("value too long for type character varying(200)", "22001")))).contains("too long");
        assertThat(UnreadableInput.classify(new DataFormatException("bad date"))).contains("could not be read");
        assertThat(UnreadableInput.classify(parserCrash())).contains("could not be read");
    }

    @Test
    void ourOwnBugsStayServerErrors() {
        assertThat(UnreadableInput.classify(new NullPointerException("in our code"))).isNull();
        assertThat(UnreadableInput.classify(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isNull();
    }

    /** A NullPointerException thrown from inside HAPI's JSON parser, as HAPI 8.8.0 does on a misshapen extension. */
    private static NullPointerException parserCrash() {
        NullPointerException crash = new NullPointerException("nextExtObj is null");
        crash.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("ca.uhn.fhir.parser.JsonParser", "parseExtension", "JsonParser.java", 1501)});
        return crash;
    }
}
