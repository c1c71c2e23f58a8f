package org.ntx.outcomes;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.ntx.cds.StoredTimelines;
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
 * Runs the treatment measures over the patients who start naltrexone in a period. Streams: candidates are found by
 * paging through naltrexone records (keeping patient ids only), then each patient's timeline is loaded, reduced to a
 * {@link PatientOutcome}, handed to the consumers and dropped.
 */
@Component
public class OutcomeStudy {

    private static final List<Code> NALTREXONE = List.of(Code.rxnorm("1483744"), Code.rxnorm("637213"));

    private final DaoRegistry daos;
    private final StoredTimelines timelines;
    private final TreatmentCourse course;
    private final OutcomeProperties properties;

    OutcomeStudy(DaoRegistry daos, StoredTimelines timelines, Thresholds thresholds, OutcomeProperties properties) {
        this.daos = daos;
        this.timelines = timelines;
        this.course = new TreatmentCourse(OutcomeDefinitions.defaults(), thresholds);
        this.properties = properties;
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
                patientId(member.getEntity()).ifPresent(patients::add);
            }
            return patients;
        }
        collect(MedicationAdministration.class, r -> ((MedicationAdministration) r).getSubject(), patients);
        collect(MedicationDispense.class, r -> ((MedicationDispense) r).getSubject(), patients);
        collect(MedicationRequest.class, r -> ((MedicationRequest) r).getSubject(), patients);
        return patients;
    }

    private <T extends IBaseResource> void collect(Class<T> type, java.util.function.Function<IBaseResource, Reference>
            subject, Set<String> patients) {
        SearchParameterMap map = new SearchParameterMap();
        TokenOrListParam codes = new TokenOrListParam();
        NALTREXONE.forEach(code -> codes.add(code.system(), code.value()));
        map.add("code", codes);
        IBundleProvider results = daos.getResourceDao(type).search(map, new SystemRequestDetails());
        int from = 0;
        while (true) {
            List<IBaseResource> page = results.getResources(from, from + properties.pageSize());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(resource -> patientId(subject.apply(resource)).ifPresent(patients::add));
            from += page.size();
        }
    }

    private static Optional<String> patientId(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String[] parts = reference.getReference().split("/");
        return parts.length >= 2 && "Patient".equals(parts[parts.length - 2])
                ? Optional.of(parts[parts.length - 1]) : Optional.empty();
    }
}
