package org.ntx.rules;

import java.time.Instant;
import java.util.Objects;

import org.ntx.timeline.SourceRef;

/**
 * A record that supports a finding.
 *
 * @param source      the resource, so the CDS layer can link it
 * @param description what it shows, for people: "naltrexone 380 MG Injection, administered 2026-03-06"
 * @param effective   when it happened (administered, dispensed, ordered, specimen taken)
 */
public record Evidence(SourceRef source, String description, Instant effective) {

    public Evidence {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(effective, "effective");
    }
}
