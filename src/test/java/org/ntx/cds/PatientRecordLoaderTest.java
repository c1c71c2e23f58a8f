package org.ntx.cds;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** How the loader reads a store: all searches as one unit, and never an empty record because the unit failed. */
class PatientRecordLoaderTest {

    final FhirContext fhirContext = FhirContext.forR4();
    final CdsProperties properties = new CdsProperties(20, "https://ntx.example.org/fhir", false, false);

    @Test
    void readsEveryKindOfDataInsideOneUnit() {
        RecordingStore store = new RecordingStore(false);

        PatientRecord record = new PatientRecordLoader(fhirContext, store, properties).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).isEmpty();
        assertThat(store.searches).hasSize(PatientRecordLoader.CLINICAL_DATA.size());
        assertThat(store.searchesInsideUnit).isEqualTo(store.searches.size());
    }

    @Test
    void whenTheUnitFailsEveryKindOfDataIsUnavailableNotEmpty() {
        RecordingStore store = new RecordingStore(true);

        PatientRecord record = new PatientRecordLoader(fhirContext, store, properties).loadFromStore("p1", List.of());

        assertThat(record.unavailable()).containsExactlyInAnyOrderElementsOf(PatientRecordLoader.CLINICAL_DATA);
    }

    /** A store with no data whose unit of reads either works or fails as a whole (a commit that fails, say). */
    private static final class RecordingStore implements FhirDataSource {
        final boolean unitFails;
        final List<String> searches = new ArrayList<>();
        int searchesInsideUnit;
        boolean insideUnit;

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
