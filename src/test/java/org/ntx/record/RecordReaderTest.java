package org.ntx.record;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.ntx.source.FhirDataSource;
import org.ntx.terminology.Terminology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the loader reads a store: all reads as one unit, in one go where the store can, and never an empty record because
 * a read failed.
 */
class RecordReaderTest {

    final FhirContext fhirContext = FhirContext.forR4();
    final RecordProperties properties = new RecordProperties(20, false);
    final Terminology terminology = Terminology.fromClasspath();
    final TimelineMapper mapper = new TimelineMapper(terminology.medications(), terminology.labs(),
            terminology.conditions());

    @Test
    void readsEveryKindOfDataInsideOneUnit() {
        RecordingStore store = new RecordingStore(false);

        PatientRecord record = new RecordReader(fhirContext, store, properties, mapper).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).isEmpty();
        assertThat(store.searches).hasSize(RecordReader.CLINICAL_DATA.size());
        assertThat(store.searchesInsideUnit).isEqualTo(store.searches.size());
    }

    @Test
    void whenTheUnitFailsEveryKindOfDataIsUnavailableNotEmpty() {
        RecordingStore store = new RecordingStore(true);

        PatientRecord record = new RecordReader(fhirContext, store, properties, mapper).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).containsExactlyInAnyOrderElementsOf(RecordReader.CLINICAL_DATA);
    }

    @Test
    void readsEveryTypeInOneGoWhereTheStoreCanAndSearchesNothingElse() {
        RecordingStore store = new RecordingStore(false);
        store.atOnce = true;

        PatientRecord record = new RecordReader(fhirContext, store, properties, mapper).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).isEmpty();
        assertThat(store.searches).isEmpty();
        assertThat(store.typesReadAtOnce).containsExactlyInAnyOrder("MedicationRequest", "MedicationAdministration",
                "MedicationDispense", "MedicationStatement", "Observation", "Condition");
        assertThat(record.resources().keySet()).containsExactlyInAnyOrderElementsOf(RecordReader.CLINICAL_DATA);
    }

    @Test
    void whenReadingInOneGoFailsEveryTypeItWasForIsUnavailable() {
        RecordingStore store = new RecordingStore(false);
        store.atOnce = true;
        store.atOnceFails = true;

        PatientRecord record = new RecordReader(fhirContext, store, properties, mapper).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).containsExactlyInAnyOrderElementsOf(RecordReader.CLINICAL_DATA);
    }

    /** A store with no data whose unit of reads either works or fails as a whole (a commit that fails, say). */
    private static final class RecordingStore implements FhirDataSource {
        final boolean unitFails;
        final List<String> searches = new ArrayList<>();
        final Set<String> typesReadAtOnce = new HashSet<>();
        int searchesInsideUnit;
        boolean insideUnit;
        boolean atOnce;
        boolean atOnceFails;

        RecordingStore(boolean unitFails) {
            this.unitFails = unitFails;
        }

        @Override
        public List<Resource> search(String relativeUrl) {
            searches.add(relativeUrl);
            if (insideUnit) {
                searchesInsideUnit++;
            }
            return List.of();
        }

        @Override
        public Optional<Resource> read(String resourceType, String id) {
            return Optional.empty();
        }

        @Override
        public Optional<PatientResources> searchByPatient(String patientId, Set<String> resourceTypes,
                                                          Set<String> observationCodes) {
            if (!atOnce) {
                return Optional.empty();
            }
            if (atOnceFails) {
                throw new DataUnavailableException("query failed", null);
            }
            typesReadAtOnce.addAll(resourceTypes);
            Map<String, List<Resource>> none = new HashMap<>();
            resourceTypes.forEach(type -> none.put(type, List.of()));
            return Optional.of(new PatientResources(none, List.of()));
        }

        @Override
        public <T> T readTogether(Supplier<T> reads) {
            insideUnit = true;
            try {
                T result = reads.get();
                if (unitFails) {
                    throw new DataUnavailableException("commit failed", null);
                }
                return result;
            } finally {
                insideUnit = false;
            }
        }
    }
}
