package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import org.h2.jdbcx.JdbcDataSource;
import org.ntx.cardlog.CardLog;
import org.ntx.record.RecordProperties;
import org.ntx.record.RecordReader;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.Thresholds;
import org.ntx.security.AuditTrail;
import org.ntx.security.CdsFhirServers;
import org.ntx.security.PatientDataAccess;
import org.ntx.server.PublicUrls;
import org.ntx.source.FhirDataSource;
import org.ntx.terminology.Terminology;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The real CDS pipeline without Spring, for unit tests and reports: prefetch only (the own store refuses every read),
 * a clock the test moves, and a card log in an in-memory H2 database.
 */
final class CdsPipeline {

    static final String PUBLIC_BASE = "http://127.0.0.1:8080/fhir";

    /** A clock the test sets; one per pipeline, never shared. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(java.time.Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock;
    final CardLog cardLog;
    final CdsHooksController controller;

    CdsPipeline(Instant now, CdsProperties properties, boolean authenticationOn) {
        this(FhirContext.forR4Cached(), Terminology.fromClasspath(), now, properties, authenticationOn);
    }

    CdsPipeline(FhirContext fhirContext, Terminology terminology, Instant now, CdsProperties properties,
                boolean authenticationOn) {
        this.clock = new TestClock(now);
        FhirDataSource noStore = new FhirDataSource() {
            @Override
            public java.util.List<org.hl7.fhir.r4.model.Resource> search(String relativeUrl) {
                throw new DataUnavailableException("these requests must prefetch everything: " + relativeUrl, null);
            }

            @Override
            public java.util.Optional<org.hl7.fhir.r4.model.Resource> read(String type, String id) {
                throw new DataUnavailableException("these requests must not read " + type, null);
            }
        };
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:cds-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        this.cardLog = new CardLog(new JdbcTemplate(h2));
        TimelineMapper mapper = new TimelineMapper(terminology.medications(), terminology.labs(),
                terminology.conditions());
        RecordReader reader = new RecordReader(fhirContext, noStore, new RecordProperties(20, true), mapper);
        NaltrexoneCds cds = new NaltrexoneCds(reader, new NaltrexoneRules(Thresholds.defaults()),
                new FindingCards(properties, PublicUrls.fixed(PUBLIC_BASE), authenticationOn, UUID::randomUUID),
                cardLog, clock, properties);
        this.controller = new CdsHooksController(new CdsRequestParser(fhirContext), cds,
                new CdsFeedback(cardLog, clock), new CdsJson(fhirContext), AuditTrail.inactive(),
                new PatientDataAccess(authenticationOn, AuditTrail.inactive(), clock), CdsFhirServers.unrestricted());
    }

    /** A service call as a CDS client makes it. */
    String call(String serviceId, String body, Principal client) {
        return controller.call(serviceId, "application/json", body, client);
    }

    String feedback(String serviceId, String body, Principal client) {
        return controller.feedback(serviceId, "application/json", body, client);
    }

    /** A call from the web page's try-out, as the signed-in user (their token must reach the patient). */
    String callFromWebPage(String serviceId, String body, Principal user) {
        return controller.callFromWebPage(serviceId, "application/json", body, user,
                new org.springframework.mock.web.MockHttpServletRequest());
    }

    /** Feedback from the web page, as the signed-in user. */
    String feedbackFromWebPage(String serviceId, String body, Principal user) {
        return controller.feedbackFromWebPage(serviceId, "application/json", body, user,
                new org.springframework.mock.web.MockHttpServletRequest());
    }

    /** A CDS client as the security layer names it (its {@code iss}). */
    static Principal client(String issuer) {
        return () -> issuer;
    }
}
