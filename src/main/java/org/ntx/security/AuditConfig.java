package org.ntx.security;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * The audit trail and its FHIR interceptor. The trail is always a bean, so the CDS controller can call it
 * unconditionally; it writes only when {@code ntx.security.audit.enabled} (by default: when authentication is on).
 */
@Configuration(proxyBeanMethods = false)
class AuditConfig {

    @Bean
    AuditTrail auditTrail(DaoRegistry daos, AuditProperties audit, SecurityProperties security, MeterRegistry meters,
                          Clock clock) {
        // A system request passes no REST interceptor, so storing the record is not itself audited.
        AuditTrail.AuditStore store =
                event -> daos.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
        return new AuditTrail(store, audit.active(security.enabled()), audit, meters, clock);
    }

    @Bean
    UnauthenticatedRequests unauthenticatedRequests(AuditTrail trail, AuditProperties audit, MeterRegistry meters,
                                                    Clock clock) {
        return new UnauthenticatedRequests(trail, meters, clock, audit.unauthenticatedInterval());
    }

    @Bean
    PatientDataAccess patientDataAccess(SecurityProperties security, AuditTrail trail, Clock clock) {
        return new PatientDataAccess(security.enabled(), trail, clock);
    }

    @Bean
    FhirServerCustomizer fhirAudit(AuditTrail trail, Clock clock) {
        return server -> {
            if (trail.active()) {
                server.registerInterceptor(new FhirAuditInterceptor(trail, clock));
            }
        };
    }
}
