package org.ntx.outcomes;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Parameters;
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
 * {@code GET /fhir/$naltrexone-outcomes?start=&end=[&asOf=]} (or on a Group) returns the treatment measures as a
 * MeasureReport; {@code $naltrexone-survival} (same parameters, system or Group) the Kaplan-Meier analyses as
 * Parameters; {@code GET /fhir/$naltrexone-outcomes-export?start=&end=} returns the de-identified per-patient CSV.
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
                                  @OperationParam(name = "end", min = 1) DateType end,
                                  @OperationParam(name = "asOf", max = 1) DateTimeType asOf) {
        return report(period(start, end, Optional.empty()), asOf(asOf));
    }

    @Operation(name = "$naltrexone-outcomes", type = Group.class, idempotent = true)
    public MeasureReport groupOutcomes(@IdParam IdType groupId,
                                       @OperationParam(name = "start", min = 1) DateType start,
                                       @OperationParam(name = "end", min = 1) DateType end,
                                       @OperationParam(name = "asOf", max = 1) DateTimeType asOf) {
        Group group = daos.getResourceDao(Group.class).read(groupId, new SystemRequestDetails());
        return report(period(start, end, Optional.of(group)), asOf(asOf));
    }

    /**
     * Kaplan-Meier retention, induction and relapse-free survival of the same cohort, from the same per-patient
     * times (measures/README.md S1-S5), by formulation and indication, with log-rank tests: see {@link SurvivalReport}.
     */
    @Operation(name = "$naltrexone-survival", idempotent = true)
    public Parameters survival(@OperationParam(name = "start", min = 1) DateType start,
                               @OperationParam(name = "end", min = 1) DateType end,
                               @OperationParam(name = "asOf", max = 1) DateTimeType asOf) {
        return survivalReport(period(start, end, Optional.empty()), asOf(asOf));
    }

    @Operation(name = "$naltrexone-survival", type = Group.class, idempotent = true)
    public Parameters groupSurvival(@IdParam IdType groupId,
                                    @OperationParam(name = "start", min = 1) DateType start,
                                    @OperationParam(name = "end", min = 1) DateType end,
                                    @OperationParam(name = "asOf", max = 1) DateTimeType asOf) {
        Group group = daos.getResourceDao(Group.class).read(groupId, new SystemRequestDetails());
        return survivalReport(period(start, end, Optional.of(group)), asOf(asOf));
    }

    private Parameters survivalReport(OutcomeStudy.Period period, Instant asOf) {
        SurvivalTally tally = new SurvivalTally();
        study.forEachOutcome(period, asOf, tally::add);
        return SurvivalReport.of(period, asOf, tally.analyses());
    }

    /**
     * The evaluation date: now, or an earlier instant a study fixes so its figures can be reproduced (records dated
     * after it are not read). A date in the future is refused: follow-up cannot be counted that has not happened.
     */
    private Instant asOf(DateTimeType asOf) {
        Instant now = clock.instant();
        if (asOf == null || asOf.getValue() == null) {
            return now;
        }
        Instant given = asOf.getValue().toInstant();
        if (given.isAfter(now)) {
            throw new InvalidRequestException("'asOf' must not be in the future");
        }
        return given;
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

    private MeasureReport report(OutcomeStudy.Period period, Instant asOf) {
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
