package org.ntx.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Patient;
import org.ntx.record.StoredTimelines;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.Thresholds;
import org.ntx.timeline.Code;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the treatment measures over the patients who start naltrexone in a period. Streams: candidates are the ids of
 * patients with any naltrexone record (an id-only query), then each patient's timeline is loaded, reduced to a
 * {@link PatientOutcome}, handed to the consumers and dropped.
 */
@Component
public class OutcomeStudy {

    private static final List<Code> NALTREXONE = List.of(Code.rxnorm("1483744"), Code.rxnorm("637213"));

    private final DaoRegistry daos;
    private final StoredTimelines timelines;
    private final TreatmentCourse course;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;

    OutcomeStudy(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext, StoredTimelines timelines,
                 Thresholds thresholds) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
        this.timelines = timelines;
        this.course = new TreatmentCourse(OutcomeDefinitions.defaults(), thresholds);
    }

    /** A reporting period [start, end) and, optionally, a Group whose members bound the cohort. */
    public record Period(Instant start, Instant end, Optional<Group> group) {}

    /** Calls {@code sink} once for each patient whose first naltrexone record falls in the period. */
    public void forEachOutcome(Period period, Instant asOf, Consumer<PatientOutcome> sink) {
        for (String patientId : candidates(period)) {
            course.outcome(timelines.forPatient(patientId), asOf)
                    .filter(outcome -> !outcome.start().isBefore(period.start())
                            && outcome.start().isBefore(period.end()))
                    .ifPresent(sink);
        }
    }

    private Set<String> candidates(Period period) {
        Set<String> patients = new LinkedHashSet<>();
        if (period.group().isPresent()) {
            for (Group.GroupMemberComponent member : period.group().get().getMember()) {
                TimelineMapper.patientId(member.getEntity()).ifPresent(patients::add);
            }
            return patients;
        }
        for (String[] typeAndDate : RECORD_DATES) {
            patientsWith(typeAndDate[0], typeAndDate[1], period, patients);
        }
        return patients;
    }

    /** Naltrexone record types with the search parameter of their date. */
    private static final String[][] RECORD_DATES = {
            {"MedicationAdministration", "effective-time"},
            {"MedicationDispense", "whenhandedover"},
            {"MedicationRequest", "authoredon"}};

    /**
     * Ids of the patients with a naltrexone record of this type dated in the period: one {@code Patient?_has:...} id
     * query, so only patient ids are held in memory, never the records themselves.
     */
    private void patientsWith(String type, String dateParameter, Period period, Set<String> patients) {
        String codes = String.join(",", NALTREXONE.stream().map(c -> c.system() + "|" + c.value()).toList());
        // A patient whose first naltrexone record falls in the period has some naltrexone record in it: the query
        // narrows the candidates to those, and the exact start is checked on the timeline afterwards.
        String has = "_has:" + type + ":patient:";
        String url = "Patient?" + has + "code=" + codes
                + "&" + has + dateParameter + "=ge" + period.start()
                + "&" + has + dateParameter + "=lt" + period.end();
        SearchParameterMap map = matchUrls.translateMatchUrl(url, fhirContext.getResourceDefinition("Patient"));
        for (IIdType id : daos.getResourceDao(Patient.class).searchForResourceIds(map, new SystemRequestDetails())) {
            patients.add(id.getIdPart());
        }
    }
}
