package org.ntx.server;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised before a request reaches HAPI or a controller (a URL the HTTP firewall refuses, an unknown path, a
 * body over the size limit sent with {@code sendError}) still answer in the API's own terms: an OperationOutcome under
 * {@code /fhir}, the CDS Hooks JSON error body elsewhere. Never Spring's HTML page, never a stack trace.
 */
@RestController
class ErrorResponses implements ErrorController {

    private final FhirContext fhirContext;

    ErrorResponses(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @RequestMapping("/error")
    ResponseEntity<String> error(HttpServletRequest request) {
        HttpStatus status = status(request);
        String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        String message = status == HttpStatus.NOT_FOUND ? "Nothing is served at this path"
                : status.is4xxClientError() ? "The request was refused: " + status.getReasonPhrase()
                : "The server could not answer this request; the failure has been logged";
        if (path.startsWith("/fhir")) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(status == HttpStatus.NOT_FOUND ? OperationOutcome.IssueType.NOTFOUND
                            : status.is4xxClientError() ? OperationOutcome.IssueType.INVALID
                            : OperationOutcome.IssueType.EXCEPTION)
                    .setDiagnostics(message);
            return ResponseEntity.status(status).contentType(MediaType.valueOf("application/fhir+json"))
                    .body(fhirContext.newJsonParser().encodeResourceToString(outcome));
        }
        // Known words only (no user text), so plain formatting is safe JSON.
        String body = "{\"status\":%d,\"error\":\"%s\",\"message\":\"%s\"}"
                .formatted(status.value(), status.getReasonPhrase(), message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
    }
}
