package org.ntx.server;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;

/**
 * Tomcat's own refusals (a URL with an encoded slash, backslash or NUL, rejected before any servlet or filter runs)
 * answer like the rest of the API: an OperationOutcome under {@code /fhir}, the JSON error body elsewhere, instead of
 * Tomcat's HTML error page. Errors that reach Spring go to {@link ErrorResponses}.
 */
public class ApiErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 501) {
            // Tomcat's answer to a method it does not implement (CONNECT): the client's request, not our failure.
            status = 405;
            response.setStatus(status);
        }
        String uri = request.getRequestURI() == null ? "" : request.getRequestURI();
        String message = status < 500 ? "The request was refused (HTTP " + status + "): the URL or headers are not"
                + " acceptable" : "The server could not answer this request (HTTP " + status + ")";
        boolean fhir = uri.startsWith("/fhir");
        String body = fhir
                ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
                + (status < 500 ? "invalid" : "exception") + "\",\"diagnostics\":\"" + message + "\"}]}"
                : "{\"status\":" + status + ",\"error\":\"Refused\",\"message\":\"" + message + "\"}";
        try {
            response.setContentType(fhir ? "application/fhir+json" : "application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed: nothing more to say.
        }
    }
}
