package org.ntx.web;

import jakarta.servlet.http.HttpServletRequest;
import org.ntx.record.StoredTimelines;
import org.ntx.rules.BlockadeState;
import org.ntx.rules.LiverResult;
import org.ntx.rules.NaltrexoneRules;
import org.ntx.rules.NaltrexoneStatus;
import org.ntx.security.PatientDataAccess;
import org.ntx.timeline.LabResult;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The patient's classified medication timeline as JSON for the web page: the same mapping and blockade logic the CDS
 * services use, so the chart shows what the rules see.
 */
@RestController
class TimelineApi {

    private final StoredTimelines timelines;
    private final NaltrexoneRules rules;
    private final Clock clock;
    private final PatientDataAccess access;

    TimelineApi(StoredTimelines timelines, NaltrexoneRules rules, Clock clock, PatientDataAccess access) {
        this.timelines = timelines;
        this.rules = rules;
        this.clock = clock;
        this.access = access;
    }

    record Event(String reference, String kind, String status, String drugClass, String display, Instant start,
                 Instant end, boolean counts) {}

    record Lab(String reference, String test, Instant effective, BigDecimal value, String unit, BigDecimal upperLimit,
               String screen, boolean counts) {}

    record Liver(String test, Instant effective, BigDecimal value, BigDecimal multipleOfUpperLimit) {}

    record Blockade(String phase, String formulation, Instant activeUntil, Instant waningUntil, Instant lastInjection,
                    Instant nextInjectionDue) {}

    record InductionWindow(Instant lastOpioidExposure, Instant closesAt, boolean open, boolean opioidOngoing) {}

    record Timeline(String patientId, Instant asOf, Blockade blockade, InductionWindow inductionWindow,
                    List<Event> medications, List<Lab> labs, List<Liver> latestLiver, List<String> unavailable) {}

    @GetMapping(path = "/api/patients/{patientId}/timeline", produces = MediaType.APPLICATION_JSON_VALUE)
    Timeline timeline(@PathVariable String patientId, Principal caller, HttpServletRequest http) {
        if (!patientId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw new IllegalArgumentException("Not a FHIR id");
        }
        access.read(caller, patientId, http.getRemoteAddr(), "timeline");
        Instant asOf = clock.instant();
        PatientTimeline timeline = timelines.forPatient(patientId);
        NaltrexoneStatus status = rules.status(timeline, asOf);
        BlockadeState b = status.blockade();
        return new Timeline(patientId, asOf,
                new Blockade(b.phase().name().toLowerCase(Locale.ROOT),
                        b.formulation().map(TimelineApi::name).orElse(null), b.activeUntil().orElse(null),
                        b.waningUntil().orElse(null), b.lastInjection().orElse(null),
                        status.nextInjectionDue().orElse(null)),
                status.opioidFreeWindow().map(w -> new InductionWindow(w.lastExposure(), w.closesAt(),
                        w.isOpenAt(asOf), w.opioidOngoing())).orElse(null),
                timeline.medications().stream().map(TimelineApi::event).toList(),
                timeline.labResults().stream().map(TimelineApi::lab).toList(),
                status.latestLiverResults().stream().map(TimelineApi::liver).toList(),
                timeline.unavailable().stream().map(k -> k.label()).toList());
    }

    private static Event event(MedicationEvent e) {
        Instant end = e.supplyEnd().or(e::end).orElse(null);
        return new Event(e.source().reference(), name(e.kind()), name(e.status()), name(e.drugClass()), e.display(),
                e.start(), end, e.counts());
    }

    private static Lab lab(LabResult r) {
        return new Lab(r.source().reference(), name(r.test()), r.effective(), r.value().orElse(null),
                r.unit().orElse(null), r.upperLimit().orElse(null),
                r.screenResult().map(TimelineApi::name).orElse(null), r.counts());
    }

    private static Liver liver(LiverResult r) {
        return new Liver(name(r.test()), r.effective(), r.value(), r.multipleOfUpperLimit().orElse(null));
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
