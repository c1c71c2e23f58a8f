package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a FHIR client the truth when the database is down: 503 Service Unavailable with an OperationOutcome and a
 * {@code Retry-After}, instead of HAPI's generic 500. The client may retry; nothing was stored by the failed request
 * (the transaction never committed).
 */
public final class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

    /** Seconds a client should wait before retrying; the connection pool retries on its own meanwhile. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** HikariCP's message for any call on a connection it has already closed as broken. */
    private static final String CLOSED_CONNECTION = "Connection is closed";

    private DatabaseOutage() {}

    /** True when {@code failure} (or a cause) says the database could not be reached, rather than refused the work. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof ConnectException
                    || cause instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            // SQLSTATE class 08 is "connection exception"; 57P01-57P03 are PostgreSQL shutting down or starting.
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            // A connection that died mid-transaction (the database stopped under it): rolling back then fails on
            // the pool's closed connection, and that failure replaces the original connection error.
            if (cause instanceof SQLException sql && CLOSED_CONNECTION.equals(sql.getMessage())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The HAPI interceptor that turns an outage into a 503. */
    public static final class Interceptor {

        @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
        public BaseServerResponseException toServiceUnavailable(Throwable failure, HttpServletResponse response) {
            if (!isOutage(failure)) {
                return null;
            }
            log.warn("FHIR request failed: the database is unreachable ({})", failure.getClass().getSimpleName());
            if (response != null) {
                response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            }
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.TRANSIENT)
                    .setDiagnostics("The database is temporarily unavailable. Nothing was changed by this request;"
                            + " retry in a few seconds.");
            return new UnclassifiedServerFailureException(503, "The database is temporarily unavailable", outcome);
        }
    }
}
