package org.ntx.security;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ntx.security.SmartScopeTest.grant;

/**
 * Which types a search reaches besides the one it returns, and whether the token may search them: chains,
 * {@code _has}, chained sorts, {@code _list}, conditional URLs and conditional references, as one class of request.
 */
class SearchReachTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    final SearchReach reach = new SearchReach(FhirCallers::grantOf, FHIR,
            (type, name) -> FHIR.getResourceDefinition(type).getSearchParam(name), true);

    @Test
    void findsTheTypesChainsAndHasReach() {
        assertThat(reach.reached("Observation", "subject:Patient.name")).containsExactly("Patient");
        assertThat(reach.reached("Observation", "patient.organization.name"))
                .containsExactly("Patient", "Organization");
        assertThat(reach.reached("Patient", "_has:Condition:patient:code")).containsExactly("Condition");
        assertThat(reach.reached("Patient", "_has:Observation:patient:_has:AuditEvent:entity:agent"))
                .containsExactly("Observation", "AuditEvent");
        assertThat(reach.reached("Observation", "subject.name")).contains("Patient", "Group");
        assertThat(reach.reached("Observation", "code")).isEmpty();
        assertThat(reach.reached("Observation", "subject:identifier")).isEmpty();
    }

    @Test
    void aTokenLimitedToOneTypeCannotSearchThroughAnother() {
        AccessGrant observations = grant("user/Observation.rs", null);
        assertThat(reach.parameters(observations, "Observation", Map.of("subject:Patient.name", new String[] {"x"})))
                .singleElement().asString().contains("Patient");
        assertThat(reach.parameters(observations, "Observation", Map.of("_sort", new String[] {"-patient.name"})))
                .isNotEmpty();
        assertThat(reach.parameters(observations, "Observation", Map.of("_list", new String[] {"1"}))).isNotEmpty();
        assertThat(reach.parameters(grant("user/Patient.rs", null), "Patient",
                Map.of("_has:Condition:patient:code", new String[] {"x"}))).isNotEmpty();
        assertThat(reach.parameters(observations, "Observation", Map.of("code", new String[] {"1742-6"})))
                .isEmpty();
        assertThat(reach.parameters(grant("user/Observation.rs user/Patient.s", null), "Observation",
                Map.of("subject:Patient.name", new String[] {"x"}))).isEmpty();
    }

    @Test
    void aPatientBoundTokenMayNotChainAtAll() {
        assertThat(reach.parameters(grant("patient/*.rs", "p1"), "Observation",
                Map.of("subject:Patient.name", new String[] {"x"}))).isNotEmpty();
    }

    @Test
    void conditionalUrlsAreSearchesOfTheirType() {
        assertThat(reach.conditionalUrl(grant("user/Observation.cu", null), "Observation", "identifier=x|1"))
                .as("create and update without search").isNotEmpty();
        assertThat(reach.conditionalUrl(grant("user/Observation.cus", null), "Observation", "identifier=x|1"))
                .isEmpty();
        assertThat(reach.conditionalUrl(grant("patient/*.cruds", "p1"), "Observation", "identifier=x|1"))
                .as("narrowed to the patient's compartment").isEmpty();
        assertThat(reach.conditionalUrl(grant("patient/*.cruds", "p1"), "Medication", "code=x"))
                .as("nothing narrows a type outside the compartment").isNotEmpty();
        assertThat(reach.conditionalUrl(grant("user/*.cruds", null), "Observation", "")).isNotEmpty();
    }

    @Test
    void conditionalReferencesAreSearchesTooAndMustBeOne() {
        Observation observation = new Observation();
        observation.setSubject(new Reference("Patient?name=Bravo"));
        assertThat(reach.conditionalReferences(grant("user/Observation.cu", null), observation)).isNotEmpty();
        assertThat(reach.conditionalReferences(grant("patient/*.cruds", "p1"), observation)).isNotEmpty();
        assertThat(reach.conditionalReferences(grant("user/*.cruds", null), observation)).isEmpty();

        for (String notASearch : new String[] {"?", "Patient?", "NoSuchType?x=1", "?name=x"}) {
            observation.setSubject(new Reference(notASearch));
            assertThat(reach.conditionalReferences(grant("user/*.cruds", null), observation)).as(notASearch)
                    .singleElement().asString().startsWith("Not a search");
        }
        observation.setSubject(new Reference("http://other.example/fhir/Patient?name=x"));
        assertThat(reach.conditionalReferences(grant("user/Observation.cu", null), observation))
                .as("an absolute URL is an external reference, not a search here").isEmpty();

        Bundle bundle = new Bundle();
        bundle.addEntry().setResource(new Observation().setSubject(new Reference("Patient?identifier=x|1")));
        assertThat(reach.conditionalReferences(grant("user/Observation.cu", null), bundle))
                .as("references inside bundle entries").isNotEmpty();
    }
}
