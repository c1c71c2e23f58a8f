package org.ntx.cohort;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ntx.profiles.ProfileValidator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic cohort: deterministic, internally consistent, and conformant to the project's profiles. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyntheticCohortTest {

    static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");

    final FhirContext fhirContext = FhirContext.forR4();

    @Test
    void theSameSeedGivesTheSameBundlesAndAnotherSeedDoesNot() {
        String first = json(new SyntheticCohort(42, AS_OF).patient(7));
        assertThat(json(new SyntheticCohort(42, AS_OF).patient(7))).isEqualTo(first);
        assertThat(json(new SyntheticCohort(43, AS_OF).patient(7))).isNotEqualTo(first);
    }

    @Test
    void everyProfiledResourceValidatesWithoutErrors() {
        ProfileValidator validator = ProfileValidator.build(fhirContext);
        List<String> errors = new ArrayList<>();
        SyntheticCohort cohort = new SyntheticCohort(42, AS_OF);
        for (int i = 0; i < 40; i++) {
            for (Bundle.BundleEntryComponent entry : cohort.patient(i).getEntry()) {
                Resource resource = entry.getResource();
                if (resource.getMeta().getProfile().isEmpty()) {
                    continue;
                }
                validator.validate(resource).getMessages().stream()
                        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR
                                || m.getSeverity() == ResultSeverityEnum.FATAL)
                        .forEach(m -> errors.add(resource.fhirType() + " " + m.getLocationString() + ": "
                                + m.getMessage()));
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void mixesFormulationsAndPatternsAndKeepsEveryReferenceInsideTheBundle() {
        SyntheticCohort cohort = new SyntheticCohort(42, AS_OF);
        int injectionPatients = 0;
        for (int i = 0; i < 300; i++) {
            Bundle bundle = cohort.patient(i);
            Set<String> fullUrls = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl)
                    .collect(Collectors.toSet());
            String json = json(bundle);
            assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(e.getRequest().getUrl())
                    .isEqualTo(e.getResource().fhirType()));
            for (String ref : json.split("\"reference\":\"")) {
                if (ref.startsWith("urn:uuid:")) {
                    assertThat(fullUrls).contains(ref.substring(0, ref.indexOf('"')));
                }
            }
            if (bundle.getEntry().stream().anyMatch(e -> e.getResource() instanceof MedicationAdministration m
                    && m.getMedicationCodeableConcept().getCodingFirstRep().getCode().equals("637213"))) {
                injectionPatients++;
            }
            assertThat(json).doesNotContain("\"2026-11-0" + "2").doesNotContain("\"2027-");
        }
        assertThat(injectionPatients).isBetween(120, 210);
    }

    private String json(Bundle bundle) {
        return fhirContext.newJsonParser().encodeResourceToString(bundle);
    }
}
