package org.ntx.record;

import org.ntx.timeline.PatientTimeline;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * A patient's timeline from this server's own store, through the same loader and mapper the CDS services use, for
 * capabilities that read many patients (research outcomes).
 */
@Component
public class StoredTimelines {

    private final RecordReader loader;
    private final TimelineMapper mapper;

    StoredTimelines(RecordReader loader, TimelineMapper mapper) {
        this.loader = loader;
        this.mapper = mapper;
    }

    public PatientTimeline forPatient(String patientId) {
        return mapper.timeline(loader.loadFromStore(patientId, List.of()));
    }

    /** The timeline with the stored resources that could not be read, for reports that must name them. */
    public RecordTimeline recordFor(String patientId) {
        PatientRecord record = loader.loadFromStore(patientId, List.of());
        return new RecordTimeline(mapper.timeline(record), List.of(), record.unreadable());
    }
}
