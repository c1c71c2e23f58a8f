package org.ntx.cds;

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
    LAB_OBSERVATIONS("labObservations", "Observation?patient={{context.patientId}}&category=laboratory"),
    CONDITIONS("conditions", "Condition?patient={{context.patientId}}");

    private final String key;
    private final String template;

    PrefetchKey(String key, String template) {
        this.key = key;
        this.template = template;
    }

    String key() {
        return key;
    }

    String template() {
        return template;
    }

    /** The template with the patient filled in, as a relative FHIR URL. */
    String forPatient(String patientId) {
        return template.replace("{{context.patientId}}", patientId);
    }

    boolean isSearch() {
        return template.contains("?");
    }
}
