package org.ntx.source;

import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Where a patient's FHIR data is read from: the CDS client's FHIR server, or this server's own store. */
public interface FhirDataSource {

    /**
     * Runs a relative FHIR search (e.g. {@code MedicationRequest?patient=123}) and returns every match, following
     * paging links.
     *
     * @throws DataUnavailableException when the data cannot be obtained (server down, refused, malformed)
     */
    List<Resource> search(String relativeUrl);

    /** Reads one resource; empty if it does not exist. */
    Optional<Resource> read(String resourceType, String id);

    /**
     * The patient's resources of several types at once, by type, where the source can read them faster than one
     * {@code {type}?patient={id}} search each and with the same result; empty where it cannot, and the caller then
     * searches type by type. A resource that is stored but cannot be read is named, not silently left out.
     *
     * @param observationCodes when not empty, only the Observations coded, or with a component coded, with one of
     *                         these codes (in any system): what {@code Observation?patient={id}&code=...} and
     *                         {@code ...&component-code=...} would return together
     * @throws DataUnavailableException when the source could not be read
     */
    default Optional<PatientResources> searchByPatient(String patientId, Set<String> resourceTypes,
                                                       Set<String> observationCodes) {
        return Optional.empty();
    }

    /** As {@link #searchByPatient(String, Set, Set)}, every Observation. */
    default Optional<PatientResources> searchByPatient(String patientId, Set<String> resourceTypes) {
        return searchByPatient(patientId, resourceTypes, Set.of());
    }

    /**
     * A patient's resources by type, read at once; {@code unreadable} names the stored resources of those types that
     * could not be parsed ({@code Observation/123}), which are missing from {@code byType}.
     */
    record PatientResources(Map<String, List<Resource>> byType, List<String> unreadable) {
        public PatientResources {
            byType = Map.copyOf(byType);
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * Runs several reads as one unit where the source can (one database transaction for this server's own store);
     * elsewhere simply runs them.
     *
     * @throws DataUnavailableException when the unit as a whole could not be run
     */
    default <T> T readTogether(Supplier<T> reads) {
        return reads.get();
    }

    /** Thrown when a data source cannot deliver; the caller turns it into a data-unavailable finding. */
    final class DataUnavailableException extends RuntimeException {
        private final boolean late;

        public DataUnavailableException(String message, Throwable cause) {
            this(message, cause, false);
        }

        private DataUnavailableException(String message, Throwable cause, boolean late) {
            super(message, cause);
            this.late = late;
        }

        /** The data did not arrive before the call's deadline (it may exist; it was not read in time). */
        public static DataUnavailableException notInTime(String message) {
            return new DataUnavailableException(message, null, true);
        }

        /** True when the data was not read in time, rather than refused or unreadable. */
        public boolean late() {
            return late;
        }
    }
}
