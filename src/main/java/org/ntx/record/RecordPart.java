package org.ntx.record;

import java.util.Optional;

/**
 * The parts of a patient's record the rules read, each with the FHIR search we run when the caller did not bring that
 * part along, and the CDS Hooks prefetch key and template the CDS services advertise for it. Templates use only the
 * forms CDS Hooks 2.0 lets clients support: an instance read and type-level searches on the patient with a token
 * parameter.
 */
public enum RecordPart {
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

    RecordPart(String key, String template) {
        this(key, template, template);
    }

    RecordPart(String key, String template, String fetchQuery) {
        this.key = key;
        this.template = template;
        this.fetchQuery = fetchQuery;
    }

    /** The prefetch key a CDS client fills in with this part. */
    public String key() {
        return key;
    }

    /** The prefetch template advertised in CDS Hooks discovery. */
    public String template() {
        return template;
    }

    /** The resource type, when the search we run ourselves is all of that type for the patient and nothing more. */
    Optional<String> patientSearchType() {
        int query = fetchQuery.indexOf('?');
        String type = fetchQuery.substring(0, query);
        return fetchQuery.substring(query).equals("?patient={{context.patientId}}") ? Optional.of(type)
                : Optional.empty();
    }

    /** The resource type this part holds. */
    String resourceType() {
        return fetchQuery.substring(0, fetchQuery.indexOf('?'));
    }

    /** The search we run ourselves when the caller did not bring this part, as a relative FHIR URL. */
    String forPatient(String patientId) {
        return fetchQuery.replace("{{context.patientId}}", patientId);
    }
}
