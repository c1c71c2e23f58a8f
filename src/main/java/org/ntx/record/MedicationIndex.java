package org.ntx.record;

import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Resource;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Medication resources that came with the data (prefetch or search bundle entries, {@code _include}d by a
 * {@code search.mode=include} entry or not, and the draft orders' bundle), indexed under every reference form an order
 * may use: {@code Medication/123}, the absolute URL, or the entry's {@code urn:uuid} fullUrl (HAPI's parser gives an
 * entry's resource its fullUrl as id).
 */
final class MedicationIndex {

    private static final Pattern MEDICATION_URL = Pattern.compile("(?:^|/)Medication/([^/]+)(?:/_history/[^/]+)?$");

    private MedicationIndex() {
    }

    static void addAll(Collection<? extends Resource> resources, Map<String, Medication> index) {
        for (Resource resource : resources) {
            if (resource instanceof Medication medication) {
                add(medication, index);
            }
        }
    }

    static void add(Medication medication, Map<String, Medication> index) {
        String id = medication.getIdElement().getValue();
        if (id == null || id.isBlank()) {
            return;
        }
        index.putIfAbsent(id, medication);
        relativeKey(id).ifPresent(key -> index.putIfAbsent(key, medication));
        String idPart = medication.getIdElement().getIdPart();
        if (idPart != null && !id.startsWith("urn:")) {
            index.putIfAbsent("Medication/" + idPart, medication);
        }
    }

    /** {@code Medication/123} for any relative or absolute reference to it; the reference itself for a urn. */
    static Optional<String> relativeKey(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        if (reference.startsWith("urn:")) {
            return Optional.of(reference);
        }
        Matcher matcher = MEDICATION_URL.matcher(reference);
        return matcher.find() ? Optional.of("Medication/" + matcher.group(1)) : Optional.empty();
    }
}
