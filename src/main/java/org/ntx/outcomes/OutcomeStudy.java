package org.ntx.outcomes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.ntx.record.StoredTimelines;
import org.ntx.record.TimelineMapper;
import org.ntx.rules.Thresholds;
import org.ntx.timeline.Code;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
            course.outcome(timelines.forPatient(patientId), followUp(patientId), asOf)
                    .filter(outcome -> !outcome.start().isBefore(period.start())
                            && outcome.start().isBefore(period.end()))
                    .ifPresent(sink);
        }
    }

    /** Discharge dispositions that mean care continues elsewhere (S1): follow-up ends there. */
    static final Set<String> TRANSFER_DISPOSITIONS = Set.of("other-hcf", "hosp", "long", "psy", "rehab", "snf");
    static final String DISCHARGE_DISPOSITION = "http://terminology.hl7.org/CodeSystem/discharge-disposition";

    /** Death and birth date from the Patient, transfers out from the patient's Encounters (measures/README.md S1). */
    private FollowUpRecord followUp(String patientId) {
        Optional<Instant> death = Optional.empty();
        Optional<LocalDate> birth = Optional.empty();
        try {
            Patient patient = daos.getResourceDao(Patient.class).read(new IdType("Patient", patientId),
                    new SystemRequestDetails());
            if (patient.hasDeceasedDateTimeType() && patient.getDeceasedDateTimeType().getValue() != null) {
                death = Optional.of(patient.getDeceasedDateTimeType().getValue().toInstant());
            }
            if (patient.hasBirthDateElement() && patient.getBirthDateElement().getYear() != null) {
                DateType born = patient.getBirthDateElement();
                birth = Optional.of(LocalDate.of(born.getYear(), born.getMonth() + 1, born.getDay()));
            }
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            // Records may name a patient that is not (or no longer) stored: nothing known beyond them.
        }
        SearchParameterMap encounters = SearchParameterMap.newSynchronous()
                .add(Encounter.SP_SUBJECT, new ReferenceParam("Patient/" + patientId));
        List<Instant> transfers = new ArrayList<>();
        for (IBaseResource resource : daos.getResourceDao(Encounter.class)
                .search(encounters, new SystemRequestDetails()).getAllResources()) {
            transferOut((Encounter) resource).ifPresent(transfers::add);
        }
        return new FollowUpRecord(death, transfers, birth);
    }

    /** The end of an Encounter that discharged the patient to another facility, unless cancelled or in error. */
    static Optional<Instant> transferOut(Encounter encounter) {
        if (encounter.getStatus() == Encounter.EncounterStatus.ENTEREDINERROR
                || encounter.getStatus() == Encounter.EncounterStatus.CANCELLED
                || !encounter.getPeriod().hasEnd()) {
            return Optional.empty();
        }
        boolean transfer = encounter.getHospitalization().getDischargeDisposition().getCoding().stream()
                .anyMatch(c -> DISCHARGE_DISPOSITION.equals(c.getSystem()) && TRANSFER_DISPOSITIONS.contains(c.getCode()));
        return transfer ? Optional.of(encounter.getPeriod().getEnd().toInstant()) : Optional.empty();
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
