package org.ntx.server;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.sql.SQLException;

/**
 * Input a client could send must never come back as 500. HAPI answers most bad input with 400 already; this catches
 * the rest, which surfaces as an unexpected exception:
 * <ul>
 *   <li>the JSON parsers failing on malformed content with a {@code NullPointerException} or similar (HAPI's own
 *       parser on a misshapen extension; the validator's Gson reader on nesting deeper than 255 levels);</li>
 *   <li>a value too long or out of range for the database column HAPI indexes it into (SQLSTATE class 22).</li>
 * </ul>
 * Both become 400 with an OperationOutcome; nothing was stored (the transaction rolled back).
 */
public final class UnreadableInput {

    static final String UNREADABLE_BODY =
            "The request body could not be read as FHIR JSON (malformed or too deeply nested content)";

    /** How many stack frames of the failure to inspect for a parser. */
    private static final int FRAMES_TO_INSPECT = 25;

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException toBadRequest(Throwable failure, RequestDetails request) {
        if (failure instanceof BaseServerResponseException known && known.getStatusCode() < 500) {
            return null;
        }
        String problem = classify(failure);
        if (problem == null) {
            return null;
        }
        if (problem.equals(UNREADABLE_BODY) && request != null && !hasBody(request)) {
            // Nothing was sent but the URL: a search value HAPI's parameter parsing could not read.
            problem = "A search parameter or a value in the URL could not be read";
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVALID)
                .setDiagnostics(problem);
        return new InvalidRequestException(problem, outcome);
    }

    /** What is wrong with the input, or {@code null} if the failure is not the client's. */
    static String classify(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return "A value in the request is too long or out of range for this server to store";
            }
            if (cause instanceof DataFormatException || isParserFailure(cause)) {
                return UNREADABLE_BODY;
            }
            if (isPatchFailure(cause)) {
                return "The patch could not be applied to this resource (malformed patch, or a path or value it"
                        + " cannot have)";
            }
            if (cause instanceof NumberFormatException) {
                return "A number in the request could not be read";
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static boolean hasBody(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        return body != null && body.length > 0;
    }

    /** JSON Patch, XML Patch and FHIRPath Patch libraries fail on the patch the client sent. */
    private static boolean isPatchFailure(Throwable failure) {
        String type = failure.getClass().getName();
        if (type.startsWith("com.github.dnault.xmlpatch.") || type.startsWith("com.github.fge.jsonpatch.")) {
            return true;
        }
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, FRAMES_TO_INSPECT); i++) {
            String frameClass = frames[i].getClassName();
            if (frameClass.startsWith("com.github.dnault.xmlpatch.") || frameClass.startsWith("com.github.fge.jsonpatch.")
                    || frameClass.startsWith("ca.uhn.fhir.jpa.patch.") || frameClass.startsWith("org.hl7.fhir.r4.fhirpath.")
                    || frameClass.startsWith("org.hl7.fhir.r4.utils.FHIRPathEngine")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isParserFailure(Throwable failure) {
        String type = failure.getClass().getName();
        if (type.startsWith("com.google.gson.") || type.startsWith("com.fasterxml.jackson.core.")) {
            return true;
        }
        StackTraceElement[] frames = failure.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, FRAMES_TO_INSPECT); i++) {
            String frameClass = frames[i].getClassName();
            if (frameClass.startsWith("ca.uhn.fhir.parser.") || frameClass.startsWith("com.google.gson.")) {
                return true;
            }
        }
        return false;
    }
}
