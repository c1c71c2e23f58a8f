package org.ntx.cds;

import org.springframework.http.HttpStatus;

/** A CDS Hooks call the service cannot answer because of what the client sent (or asked for). */
class CdsRequestException extends RuntimeException {

    private final HttpStatus status;

    CdsRequestException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    static CdsRequestException badRequest(String message) {
        return new CdsRequestException(HttpStatus.BAD_REQUEST, message);
    }

    static CdsRequestException notFound(String message) {
        return new CdsRequestException(HttpStatus.NOT_FOUND, message);
    }

    HttpStatus status() {
        return status;
    }
}
