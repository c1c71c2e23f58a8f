package org.ntx.security;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The audit trail ({@code ntx.security.audit.*}): an AuditEvent per FHIR interaction and per CDS Hooks call, stored
 * in the server's own FHIR store off the request thread.
 *
 * @param enabled       write audit records; unset means "whenever {@code ntx.security.enabled} is true" (with
 *                      authentication off there is nobody to hold to account, and the first run stays quiet)
 * @param queueCapacity records waiting to be stored; beyond it a request waits up to {@code enqueueTimeout}
 * @param enqueueTimeout how long a request may wait for room in a full queue before its record is dropped and
 *                      counted ({@code ntx.audit.dropped})
 * @param unauthenticatedInterval how often, at most, one AuditEvent counts the requests refused with 401 since the
 *                      last ({@link UnauthenticatedRequests})
 */
@Validated
@ConfigurationProperties("ntx.security.audit")
public record AuditProperties(
        Boolean enabled,
        @DefaultValue("10000") @Min(1) int queueCapacity,
        @DefaultValue("200ms") Duration enqueueTimeout,
        @DefaultValue("1m") Duration unauthenticatedInterval) {

    boolean active(boolean securityEnabled) {
        return enabled == null ? securityEnabled : enabled;
    }
}
