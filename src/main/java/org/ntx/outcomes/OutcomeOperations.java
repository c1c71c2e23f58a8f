package org.ntx.outcomes;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.ntx.cardlog.CardLog;
import org.ntx.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Research operations:
 * {@code GET /fhir/$naltrexone-outcomes?start=&end=} (or on a Group) returns the treatment measures as a
 * MeasureReport; {@code GET /fhir/$naltrexone-outcomes-export?start=&end=} returns the de-identified per-patient CSV.
 */
public class OutcomeOperations {

    private final OutcomeStudy study;
    private final CardLog cardLog;
    private final DaoRegistry daos;
    private final Clock clock;
    private final DeidentifiedExport export;

    OutcomeOperations(OutcomeStudy study, CardLog cardLog, DaoRegistry daos, Clock clock, OutcomeProperties properties) {
        this.study = study;
        this.cardLog = cardLog;
        this.daos = daos;
        this.clock = clock;
        this.export = new DeidentifiedExport(properties.pseudonymSalt());
    }

    @Operation(name = "$naltrexone-outcomes", idempotent = true)
    public MeasureReport outcomes(@OperationParam(name = "start", min = 1) DateType start,
                                  @OperationParam(name = "end", min = 1) DateType end) {
        return report(period(start, end, Optional.empty()));
    }

    @Operation(name = "$naltrexone-outcomes", type = Group.class, idempotent = true)
    public MeasureReport groupOutcomes(@IdParam IdType groupId,
                                       @OperationParam(name = "start", min = 1) DateType start,
                                       @OperationParam(name = "end", min = 1) DateType end) {
        Group group = daos.getResourceDao(Group.class).read(groupId, new SystemRequestDetails());
        return report(period(start, end, Optional.of(group)));
    }

    @Operation(name = "$naltrexone-outcomes-export", idempotent = true)
    public Binary exportCsv(@OperationParam(name = "start", min = 1) DateType start,
                            @OperationParam(name = "end", min = 1) DateType end) {
        OutcomeStudy.Period period = period(start, end, Optional.empty());
        StringBuilder csv = new StringBuilder(DeidentifiedExport.HEADER).append('\n');
        study.forEachOutcome(period, clock.instant(), outcome -> csv.append(export.row(outcome)).append('\n'));
        Binary binary = new Binary();
        binary.setContentType("text/csv");
        binary.setData(csv.toString().getBytes(StandardCharsets.UTF_8));
        return binary;
    }

    private MeasureReport report(OutcomeStudy.Period period) {
        Instant asOf = clock.instant();
        OutcomeTally tally = new OutcomeTally(OutcomeDefinitions.defaults().adherentPdc());
        study.forEachOutcome(period, asOf, tally::add);
        return OutcomeReport.of(period, asOf, tally, cardLog.shownBetween(period.start(), period.end()));
    }

    private static OutcomeStudy.Period period(DateType start, DateType end, Optional<Group> group) {
        if (start == null || end == null || start.getValue() == null || end.getValue() == null) {
            throw new InvalidRequestException("'start' and 'end' (dates, e.g. 2026-01-01) are required");
        }
        // Calendar dates, whatever the server's time zone: [start 00:00Z, end + 1 day 00:00Z).
        Instant from = LocalDate.of(start.getYear(), start.getMonth() + 1, start.getDay()).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        Instant to = LocalDate.of(end.getYear(), end.getMonth() + 1, end.getDay()).plusDays(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        if (!from.isBefore(to)) {
            throw new InvalidRequestException("'start' must not be after 'end'");
        }
        return new OutcomeStudy.Period(from, to, group);
    }

    @Configuration
    static class Registration {

        @Bean
        OutcomeOperations outcomeOperations(OutcomeStudy study, CardLog cardLog, DaoRegistry daos, Clock clock,
                                            OutcomeProperties properties) {
            return new OutcomeOperations(study, cardLog, daos, clock, properties);
        }

        @Bean
        FhirServerCustomizer outcomeOperationsProvider(OutcomeOperations operations) {
            return server -> server.registerProvider(operations);
        }
    }
}
