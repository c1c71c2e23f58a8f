package org.ntx.cds;

import java.util.Optional;

/**
 * The data our services ask for, each with the prefetch template a CDS client may fill in and the FHIR search we run
 * ourselves when it does not. Templates use only the forms CDS Hooks 2.0 lets clients support: an instance read and
 * type-level searches on the patient with a token parameter.
 */
enum PrefetchKey {
    PATIENT("patient", "Patient/{{context.patientId}}"),
    MEDICATION_REQUESTS("medicationRequests", "MedicationRequest?patient={{context.patientId}}"),
    MEDICATION_ADMINISTRATIONS("medicationAdministrations", "MedicationAdministration?patient={{context.patientId}}"),
    MEDICATION_DISPENSES("medicationDispenses", "MedicationDispense?patient={{context.patientId}}"),
    MEDICATION_STATEMENTS("medicationStatements", "MedicationStatement?patient={{context.patientId}}"),
    /**
     * Laboratory results. Clients are asked for {@code category=laboratory}; when we fetch ourselves we read all the
     * patient's Observations, because a urine screen or liver test recorded without a category must not be missed.
     */
    LAB_OBSERVATIONS("labObservations", "Observation?patient={{context.patientId}}&category=laboratory",
            "Observation?patient={{context.patientId}}"),
    CONDITIONS("conditions", "Condition?patient={{context.patientId}}");

    private final String key;
    private final String template;
    private final String fetchQuery;

    PrefetchKey(String key, String template) {
        this(key, template, template);
    }

    PrefetchKey(String key, String template, String fetchQuery) {
        this.key = key;
        this.template = template;
        this.fetchQuery = fetchQuery;
    }

    String key() {
        return key;
    }

    String template() {
        return template;
    }

    /** The resource type, when the search we run ourselves is all of that type for the patient and nothing more. */
    Optional<String> patientSearchType() {
        int query = fetchQuery.indexOf('?');
        String type = fetchQuery.substring(0, query);
        return fetchQuery.substring(query).equals("?patient={{context.patientId}}") ? Optional.of(type)
                : Optional.empty();
    }

    /** The search we run ourselves when prefetch lacks this key, as a relative FHIR URL. */
    String forPatient(String patientId) {
        return fetchQuery.replace("{{context.patientId}}", patientId);
    }
}
