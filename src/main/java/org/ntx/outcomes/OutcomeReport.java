package org.ntx.outcomes;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.ntx.cardlog.CardLog;
import org.ntx.profiles.Canonicals;
import org.ntx.rules.OverrideReason;
import org.ntx.rules.Topic;

import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The treatment measures as a FHIR MeasureReport (type summary): one group per measure with its initial population,
 * denominator, numerator and proportion, stratified by formulation and indication; then the CDS card outcomes by topic
 * and override reason.
 */
final class OutcomeReport {

    static final String MEASURE = Canonicals.BASE + "/Measure/naltrexone-outcomes";
    private static final String POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population";

    private OutcomeReport() {}

    static MeasureReport of(OutcomeStudy.Period period, Instant asOf, OutcomeTally tally, List<CardLog.CardOutcome> cards) {
        MeasureReport report = new MeasureReport();
        report.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        report.setType(MeasureReport.MeasureReportType.SUMMARY);
        report.setMeasure(MEASURE);
        report.setDate(Date.from(asOf));
        report.setPeriod(new Period().setStart(Date.from(period.start())).setEnd(Date.from(period.end())));
        period.group().ifPresent(g -> report.getSubject().setReference(g.getIdElement().toUnqualifiedVersionless()
                .getValue()));

        OutcomeTally.Stratum all = tally.stratum(OutcomeTally.ALL);
        for (OutcomeMeasure measure : OutcomeMeasure.values()) {
            MeasureReport.MeasureReportGroupComponent group = report.addGroup()
                    .setCode(code(measure.code(), measure.display()));
            populations(group.getPopulation(), all.patients(), all.counts(measure));
            all.counts(measure).score().ifPresent(s -> group.setMeasureScore(new Quantity().setValue(s)));
            if (measure == OutcomeMeasure.OPIOID_ORDER_DURING_BLOCKADE) {
                group.addPopulation().setCode(new CodeableConcept(new Coding(POPULATION, "measure-observation", null))
                        .setText("opioid orders during an active blockade")).setCount((int) all.flaggedOrders());
            }
            stratify(group, "formulation", measure, tally);
            stratify(group, "indication", measure, tally);
        }
        MeasureReport.MeasureReportGroupComponent pdc = report.addGroup()
                .setCode(code("oral-pdc-mean", "Mean proportion of days covered, oral courses"));
        pdc.addPopulation().setCode(population("denominator"))
                .setCount((int) all.counts(OutcomeMeasure.ORAL_PDC_ADHERENT).denominator());
        all.meanPdc().ifPresent(mean -> pdc.setMeasureScore(new Quantity().setValue(mean)));

        retentionCurve(report, tally);

        MeasureReport.MeasureReportGroupComponent intervals = report.addGroup()
                .setCode(code("injection-interval-days", "Days between consecutive injections (histogram)"));
        MeasureReport.MeasureReportGroupStratifierComponent histogram = intervals.addStratifier();
        histogram.addCode(new CodeableConcept().setText("interval-days"));
        all.intervalHistogram().forEach((bucket, count) -> histogram.addStratum()
                .setValue(new CodeableConcept().setText(bucket))
                .addPopulation().setCode(population("numerator")).setCount(count.intValue()));

        cardOutcomes(report, cards);
        return report;
    }

    /**
     * Group {@code retention-curve}: one stratifier per formulation ({@code oral}, {@code injection}), one stratum
     * per day of follow-up (value: the day, from 0), with the patients followed that long (denominator), those
     * continuously covered through that day (numerator), and the proportion (score). The research page draws it as a
     * step curve; confidence bands can be added per stratum by the survival analysis.
     */
    private static void retentionCurve(MeasureReport report, OutcomeTally tally) {
        MeasureReport.MeasureReportGroupComponent curve = report.addGroup()
                .setCode(code("retention-curve", "Retained in treatment on each day of follow-up (continuous coverage)"));
        for (org.ntx.outcomes.PatientOutcome.Formulation formulation : org.ntx.outcomes.PatientOutcome.Formulation.values()) {
            OutcomeTally.RetentionCurve days = tally.retentionCurve(formulation);
            MeasureReport.MeasureReportGroupStratifierComponent stratifier = curve.addStratifier();
            stratifier.addCode(new CodeableConcept().setText(formulation.name().toLowerCase(java.util.Locale.ROOT)));
            for (int day = 0; day <= days.lastDay(); day++) {
                MeasureReport.StratifierGroupComponent stratum = stratifier.addStratum()
                        .setValue(new CodeableConcept().setText(Integer.toString(day)));
                stratum.addPopulation().setCode(population("denominator")).setCount((int) days.atRisk(day));
                stratum.addPopulation().setCode(population("numerator")).setCount((int) days.retained(day));
                if (days.atRisk(day) > 0) {
                    stratum.setMeasureScore(new Quantity().setValue((double) days.retained(day) / days.atRisk(day)));
                }
            }
        }
    }

    private static void populations(List<MeasureReport.MeasureReportGroupPopulationComponent> populations,
                                    long cohort, OutcomeTally.Counts counts) {
        populations.add(new MeasureReport.MeasureReportGroupPopulationComponent()
                .setCode(population("initial-population")).setCount((int) cohort));
        populations.add(new MeasureReport.MeasureReportGroupPopulationComponent()
                .setCode(population("denominator")).setCount((int) counts.denominator()));
        populations.add(new MeasureReport.MeasureReportGroupPopulationComponent()
                .setCode(population("numerator")).setCount((int) counts.numerator()));
    }

    private static void stratify(MeasureReport.MeasureReportGroupComponent group, String dimension,
                                 OutcomeMeasure measure, OutcomeTally tally) {
        MeasureReport.MeasureReportGroupStratifierComponent stratifier = group.addStratifier();
        stratifier.addCode(new CodeableConcept().setText(dimension));
        for (Map.Entry<String, OutcomeTally.Stratum> entry : tally.strata().entrySet()) {
            if (!entry.getKey().startsWith(dimension + ":")) {
                continue;
            }
            OutcomeTally.Stratum stratum = entry.getValue();
            MeasureReport.StratifierGroupComponent group2 = stratifier.addStratum()
                    .setValue(new CodeableConcept().setText(entry.getKey().substring(dimension.length() + 1)));
            OutcomeTally.Counts counts = stratum.counts(measure);
            group2.addPopulation().setCode(population("initial-population")).setCount((int) stratum.patients());
            group2.addPopulation().setCode(population("denominator")).setCount((int) counts.denominator());
            group2.addPopulation().setCode(population("numerator")).setCount((int) counts.numerator());
            counts.score().ifPresent(s -> group2.setMeasureScore(new Quantity().setValue(s)));
        }
    }

    /** How an override without a reason is counted: as itself, never as a code of ours. */
    static final String NO_REASON_GIVEN = "no reason given";

    /**
     * One group per card topic: cards shown (initial population), answered (denominator), overridden (numerator);
     * accepted and overridden as strata; the override reasons as strata, exactly the ones the cards of that topic
     * offer (zero counts included) plus "no reason given" and any reason a client sent that was not offered. The notes
     * order-sign showed in place of a card already answered at order-select are not cards of their own: they are
     * counted in a third stratifier, "repeat at order-sign".
     */
    private static void cardOutcomes(MeasureReport report, List<CardLog.CardOutcome> cards) {
        Map<String, List<CardLog.CardOutcome>> byTopic = new TreeMap<>();
        Map<String, Long> repeats = new TreeMap<>();
        for (CardLog.CardOutcome card : cards) {
            if (card.card().issued().repeatOf().isPresent()) {
                repeats.merge(card.card().topic(), 1L, Long::sum);
                byTopic.computeIfAbsent(card.card().topic(), t -> new java.util.ArrayList<>());
            } else {
                byTopic.computeIfAbsent(card.card().topic(), t -> new java.util.ArrayList<>()).add(card);
            }
        }
        for (Map.Entry<String, List<CardLog.CardOutcome>> topic : byTopic.entrySet()) {
            List<CardLog.CardOutcome> shown = topic.getValue();
            long answered = shown.stream().filter(c -> c.feedback().isPresent()).count();
            long overridden = shown.stream().filter(c -> c.outcome().filter("overridden"::equals).isPresent()).count();
            long accepted = shown.stream().filter(c -> c.outcome().filter("accepted"::equals).isPresent()).count();
            MeasureReport.MeasureReportGroupComponent group = report.addGroup()
                    .setCode(code("cds-card-overridden:" + topic.getKey(),
                            "CDS cards of topic " + topic.getKey() + " overridden, of those answered"));
            group.addPopulation().setCode(population("initial-population").setText("cards shown"))
                    .setCount(shown.size());
            group.addPopulation().setCode(population("denominator").setText("cards with feedback"))
                    .setCount((int) answered);
            group.addPopulation().setCode(population("numerator").setText("cards overridden"))
                    .setCount((int) overridden);
            if (answered > 0) {
                group.setMeasureScore(new Quantity().setValue((double) overridden / answered));
            }
            MeasureReport.MeasureReportGroupStratifierComponent outcome = group.addStratifier();
            outcome.addCode(new CodeableConcept().setText("outcome"));
            outcome.addStratum().setValue(new CodeableConcept().setText("accepted"))
                    .addPopulation().setCode(population("numerator")).setCount((int) accepted);
            outcome.addStratum().setValue(new CodeableConcept().setText("overridden"))
                    .addPopulation().setCode(population("numerator")).setCount((int) overridden);
            overrideReasons(group, topic.getKey(), shown);
            MeasureReport.MeasureReportGroupStratifierComponent repeated = group.addStratifier();
            repeated.addCode(new CodeableConcept().setText("repeat at order-sign"));
            repeated.addStratum().setValue(new CodeableConcept().setText(
                            "answered at order-select, not shown again at order-sign"))
                    .addPopulation().setCode(population("numerator"))
                    .setCount(repeats.getOrDefault(topic.getKey(), 0L).intValue());
        }
    }

    private static void overrideReasons(MeasureReport.MeasureReportGroupComponent group, String topicCode,
                                        List<CardLog.CardOutcome> shown) {
        Map<String, Long> ours = new LinkedHashMap<>();
        Arrays.stream(Topic.values()).filter(t -> t.code().equals(topicCode)).findFirst()
                .map(OverrideReason::forTopic).orElse(List.of())
                .forEach(reason -> ours.put(reason.code(), 0L));
        long none = 0;
        Map<CardLog.ReasonCode, Long> theirs = new LinkedHashMap<>();
        for (CardLog.CardOutcome card : shown) {
            Optional<CardLog.Feedback> feedback = card.feedback().filter(f -> f.outcome().equals("overridden"));
            if (feedback.isEmpty()) {
                continue;
            }
            Optional<CardLog.ReasonCode> reason = feedback.get().reason();
            if (reason.isEmpty()) {
                none++;
            } else if (reason.get().system().map(Canonicals.CODE_SYSTEM::equals).orElse(true)
                    && ours.containsKey(reason.get().code())) {
                ours.merge(reason.get().code(), 1L, Long::sum);
            } else {
                theirs.merge(reason.get(), 1L, Long::sum);
            }
        }
        MeasureReport.MeasureReportGroupStratifierComponent reasons = group.addStratifier();
        reasons.addCode(new CodeableConcept().setText("override-reason"));
        ours.forEach((code, count) -> reasons.addStratum()
                .setValue(new CodeableConcept(new Coding(Canonicals.CODE_SYSTEM, code,
                        OverrideReason.byCode(code).map(OverrideReason::display).orElse(null))))
                .addPopulation().setCode(population("numerator")).setCount(count.intValue()));
        reasons.addStratum().setValue(new CodeableConcept().setText(NO_REASON_GIVEN))
                .addPopulation().setCode(population("numerator")).setCount((int) none);
        theirs.forEach((reason, count) -> reasons.addStratum()
                .setValue(new CodeableConcept(new Coding(reason.system().orElse(null), reason.code(), null))
                        .setText("reason sent by the client, not offered by this service"))
                .addPopulation().setCode(population("numerator")).setCount(count.intValue()));
    }

    private static CodeableConcept code(String code, String display) {
        return new CodeableConcept(new Coding(Canonicals.CODE_SYSTEM, code, display)).setText(display);
    }

    private static CodeableConcept population(String code) {
        return new CodeableConcept(new Coding(POPULATION, code, null));
    }
}
