package org.ntx.server;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Refusals written by servlet filters, before any controller runs: an OperationOutcome under /fhir, the JSON error
 * body of CDS Hooks and the web API elsewhere (the same shapes the controllers use).
 */
final class ErrorBodies {

    private ErrorBodies() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String fhirIssueCode,
                      String reason, String message) throws IOException {
        String text = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        response.setStatus(status);
        if (request.getRequestURI().startsWith("/fhir")) {
            response.setContentType("application/fhir+json");
            response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                    + "\"code\":\"" + fhirIssueCode + "\",\"diagnostics\":\"" + text + "\"}]}");
        } else {
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + reason + "\",\"message\":\""
                    + text + "\"}");
        }
    }
}
