package org.ntx.cds;

import org.ntx.security.PatientDataAccess;
import org.ntx.server.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every CDS Hooks error is a small JSON body with the HTTP status and a message a client developer can act on.
 * Nothing internal (class names, stack traces) leaves the server.
 */
@RestControllerAdvice(assignableTypes = CdsHooksController.class)
class CdsErrors {

    private static final Logger log = LoggerFactory.getLogger(CdsErrors.class);

    @ExceptionHandler(CdsRequestException.class)
    ResponseEntity<Map<String, Object>> clientError(CdsRequestException e) {
        return body(e.status(), e.getMessage());
    }

    @ExceptionHandler(PatientDataAccess.Denied.class)
    ResponseEntity<Map<String, Object>> forbidden(PatientDataAccess.Denied e) {
        return body(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> wrongContentType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "CDS Hooks requests must be sent as application/json");
    }

    /** A Content-Type Spring cannot even parse as a body type ({@code *}{@code /*}): refused like any non-JSON type. */
    @ExceptionHandler(InvalidMediaTypeException.class)
    ResponseEntity<Map<String, Object>> unreadableContentType(InvalidMediaTypeException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "CDS Hooks requests must be sent as application/json");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(HttpStatus.NOT_ACCEPTABLE, "CDS Hooks responses are application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> wrongMethod(HttpRequestMethodNotSupportedException e) {
        return body(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return body(HttpStatus.BAD_REQUEST, "The request body could not be read");
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Map<String, Object>> serverFault(RuntimeException e) {
        if (DatabaseOutage.isOutage(e)) {
            log.warn("CDS request failed: the database is unreachable ({})", e.getClass().getSimpleName());
            return body(HttpStatus.SERVICE_UNAVAILABLE, "The service's database is temporarily unavailable; retry"
                    + " in a few seconds");
        }
        log.error("CDS service failed", e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "The CDS service failed; the failure has been logged");
    }

    private static ResponseEntity<Map<String, Object>> body(HttpStatusCode status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", HttpStatus.valueOf(status.value()).getReasonPhrase());
        body.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
