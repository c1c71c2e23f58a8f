package org.ntx.record;

import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;

import java.util.List;

/**
 * A patient's record as the rules read it: the timeline, and the draft orders under review as events dated at the
 * moment of the assessment.
 */
public record RecordTimeline(PatientTimeline timeline, List<MedicationEvent> drafts) {}
