package org.ntx.web;

import org.ntx.security.PatientDataAccess;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/** The web API's client errors as small JSON bodies. */
@RestControllerAdvice(assignableTypes = TimelineApi.class)
class WebErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .body(Map.of("status", 400, "error", "Bad Request", "message", e.getMessage()));
    }

    @ExceptionHandler(PatientDataAccess.Denied.class)
    ResponseEntity<Map<String, Object>> forbidden(PatientDataAccess.Denied e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN)
                .body(Map.of("status", 403, "error", "Forbidden", "message", e.getMessage()));
    }
}
