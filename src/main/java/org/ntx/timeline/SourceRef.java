package org.ntx.timeline;

import java.util.Objects;

/**
 * Where a timeline entry came from: the FHIR resource type and logical id. Findings quote it as evidence, and the
 * CDS layer turns it back into a reference (for example to delete a draft order).
 */
public record SourceRef(String resourceType, String id) {

    public SourceRef {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(id, "id");
    }

    /** The relative reference, {@code MedicationRequest/123}. */
    public String reference() {
        return resourceType + "/" + id;
    }

    @Override
    public String toString() {
        return reference();
    }
}
