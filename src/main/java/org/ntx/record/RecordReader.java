package org.ntx.record;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.source.CallDeadline;
import org.ntx.source.FhirDataSource;
import org.ntx.source.RemoteFhirClient;
import org.ntx.source.RemoteFhirProperties;
import org.ntx.source.RemoteFhirSource;
import org.ntx.timeline.MedicationEvent;
import org.ntx.timeline.PatientTimeline;
import org.ntx.timeline.Shortfall;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a patient's record and maps it to the timeline the rules read, once per call: what the caller brought along
 * (prefetch) first; the rest is searched on the caller's FHIR server (with its bearer token; all searches at once,
 * within the call's time budget: {@link RemoteRecordRead}) or, without one, in this server's own store. Whatever
 * cannot be read is recorded as unavailable, never silently left empty.
 */
@Component
public class RecordReader {

    /** The data the rules read; the Patient resource itself is offered in discovery but not needed. */
    static final Set<RecordPart> CLINICAL_DATA = EnumSet.complementOf(EnumSet.of(RecordPart.PATIENT));

    private final FhirContext fhirContext;
    private final FhirDataSource localStore;
    private final RecordProperties properties;
    private final TimelineMapper mapper;
    private final Optional<StoredRecordCache> cache;
    private final RemoteFhirClient remoteClient;
    private final RecordQueries queries;
    private final List<String> labCodes;
    /** The codes laboratory results are read by from the own store: the same as from a client's server. */
    private final Set<String> labCodeSet;

    /** Without a cache: every call reads in full (tests of the pure pipeline). */
    public RecordReader(FhirContext fhirContext, FhirDataSource localStore, RecordProperties properties,
                        TimelineMapper mapper) {
        this(fhirContext, localStore, properties, mapper, null,
                new RemoteFhirClient(fhirContext, RemoteFhirProperties.defaults()), RemoteFhirProperties.defaults());
    }

    /**
     * @param localStore  this server's own store ({@code LocalFhirSource} in the application)
     * @param generations the change counters that let records read from the own store be reused safely
     */
    @Autowired
    RecordReader(FhirContext fhirContext, FhirDataSource localStore, RecordProperties properties,
                 TimelineMapper mapper, RecordGenerations generations, RemoteFhirClient remoteClient,
                 RemoteFhirProperties remoteProperties) {
        this.remoteClient = remoteClient;
        this.queries = new RecordQueries(mapper.labCodesRead(), remoteProperties.pageSize(),
                properties.labLookback());
        this.labCodes = mapper.labCodesRead().stream().map(org.ntx.timeline.Code::value).distinct().sorted().toList();
        this.labCodeSet = Set.copyOf(labCodes);
        this.fhirContext = fhirContext;
        this.localStore = localStore;
        this.properties = properties;
        this.mapper = mapper;
        this.cache = Optional.ofNullable(generations).filter(g -> properties.reuseStoredRecords())
                .map(StoredRecordCache::new);
    }

    /**
     * The prefetch templates the CDS services advertise, by key ({@link RecordPart#template()}), with laboratory
     * results asked for by the codes the rules read: cheap for an EHR (a token search by code, which CDS Hooks 2.0
     * lets clients support), and no result the rules would read is left out. CDS Hooks 2.0 has no token for today's
     * date, so no look-back window can be put into a template.
     */
    public Map<String, String> prefetchTemplates() {
        Map<String, String> templates = new java.util.LinkedHashMap<>();
        for (RecordPart part : RecordPart.values()) {
            templates.put(part.key(), part == RecordPart.LAB_OBSERVATIONS
                    ? "Observation?patient={{context.patientId}}&code=" + String.join(",", labCodes) : part.template());
        }
        return templates;
    }

    /** The patient's timeline, and the draft orders as events dated {@code asOf}, for the rules. */
    public RecordTimeline read(RecordRequest request, Instant asOf) {
        PatientRecord record = load(request, asOf);
        PatientTimeline timeline = mapper.timeline(record);
        List<MedicationEvent> drafts = mapper.drafts(record.patientId(), request.drafts(), asOf, record::medication);
        return new RecordTimeline(timeline, drafts, record.unreadable());
    }

    PatientRecord load(RecordRequest request, Instant asOf) {
        if (request.wholeFromStore()) {
            return loadFromStore(request.patientId(), request.drafts());
        }
        if (request.remote().isPresent()) {
            RecordRequest.RemoteServer remote = request.remote().get();
            CallDeadline deadline = CallDeadline.after(properties.callBudget());
            try (RemoteFhirSource source = remoteClient.open(remote.baseUrl(), remote.token(), deadline,
                    properties.maxPagesPerSearch())) {
                return new RemoteRecordRead(source, queries).read(request, asOf);
            }
        }
        PatientRecord record = withDrafts(load(request.patientId(), request.prefetched(), localStore),
                request.drafts(), localStore);
        return incomplete(record, request.prefetchedNext().keySet());
    }

    /**
     * A prefetched part that came as the first page of a longer list, with no FHIR server to read the rest from: what
     * came is kept, and the part is reported incomplete rather than read as the whole history.
     */
    private static PatientRecord incomplete(PatientRecord record, Set<RecordPart> partial) {
        if (partial.isEmpty()) {
            return record;
        }
        Set<RecordPart> unavailable = EnumSet.noneOf(RecordPart.class);
        unavailable.addAll(record.unavailable());
        unavailable.addAll(partial);
        Map<RecordPart, Shortfall> shortfalls = new EnumMap<>(RecordPart.class);
        shortfalls.putAll(record.shortfalls());
        partial.forEach(part -> shortfalls.putIfAbsent(part, Shortfall.INCOMPLETE));
        return new PatientRecord(record.patientId(), record.resources(), unavailable, record.medications(),
                shortfalls, record.unreadable());
    }

    /** The patient's data from this server's own store, reused while provably current. */
    PatientRecord loadFromStore(String patientId, List<Resource> drafts) {
        PatientRecord stored = cache
                .map(c -> c.get(patientId, () -> load(patientId, Map.of(), localStore)))
                .orElseGet(() -> load(patientId, Map.of(), localStore));
        return withDrafts(stored, drafts, localStore);
    }

    /** The record with the Medications the draft orders point to; a copy, as the record may be shared. */
    private static PatientRecord withDrafts(PatientRecord record, List<Resource> drafts, FhirDataSource source) {
        if (drafts.isEmpty()) {
            return record;
        }
        Map<String, Medication> medications = new HashMap<>(record.medications());
        Set<RecordPart> unavailable = EnumSet.noneOf(RecordPart.class);
        unavailable.addAll(record.unavailable());
        MedicationIndex.addAll(drafts, medications);
        for (Resource draft : drafts) {
            // A draft whose Medication cannot be read is named on its own data-unavailable card by the rules.
            resolveMedication(draft, source, medications);
        }
        return new PatientRecord(record.patientId(), record.resources(), unavailable, medications,
                record.shortfalls(), record.unreadable());
    }

    private PatientRecord load(String patientId, Map<RecordPart, List<Resource>> prefetch, FhirDataSource source) {
        try {
            return source.readTogether(() -> readEach(patientId, prefetch, source));
        } catch (FhirDataSource.DataUnavailableException e) {
            // The reads as a whole failed (no connection, or their transaction could not complete): what prefetch
            // gave is kept, everything else is unavailable, as if each read had failed on its own.
            return readEach(patientId, prefetch, new Unreachable(e));
        }
    }

    private PatientRecord readEach(String patientId, Map<RecordPart, List<Resource>> prefetch,
                                   FhirDataSource source) {
        Map<RecordPart, List<Resource>> resources = new EnumMap<>(RecordPart.class);
        Set<RecordPart> unavailable = EnumSet.noneOf(RecordPart.class);
        List<String> unreadable = new ArrayList<>();
        Map<String, List<Resource>> readAtOnce = readAtOnce(patientId, prefetch.keySet(), source, unavailable,
                unreadable);
        for (RecordPart key : CLINICAL_DATA) {
            List<Resource> given = prefetch.get(key);
            if (given != null) {
                resources.put(key, given);
                continue;
            }
            if (unavailable.contains(key)) {
                continue;
            }
            Optional<List<Resource>> read = key.patientSearchType().map(readAtOnce::get);
            if (read.isPresent()) {
                resources.put(key, read.get());
                continue;
            }
            try {
                resources.put(key, source.search(key.forPatient(patientId)));
            } catch (FhirDataSource.DataUnavailableException e) {
                unavailable.add(key);
            }
        }

        Map<String, Medication> medications = new HashMap<>();
        resources.values().forEach(list -> MedicationIndex.addAll(list, medications));
        for (Map.Entry<RecordPart, List<Resource>> entry : resources.entrySet()) {
            for (Resource resource : entry.getValue()) {
                if (!resolveMedication(resource, source, medications)) {
                    unavailable.add(entry.getKey());
                }
            }
        }
        return new PatientRecord(patientId, Map.copyOf(resources), Set.copyOf(unavailable), Map.copyOf(medications),
                Map.of(), unreadable);
    }

    /**
     * What prefetch lacks, read at once where the source can (one query instead of a search per type); an empty map
     * where it cannot, and the caller searches type by type. A failed read marks every kind of data it was for
     * unavailable.
     */
    private Map<String, List<Resource>> readAtOnce(String patientId, Set<RecordPart> given,
                                                          FhirDataSource source, Set<RecordPart> unavailable,
                                                          List<String> unreadable) {
        Map<String, RecordPart> wanted = new HashMap<>();
        for (RecordPart key : CLINICAL_DATA) {
            if (!given.contains(key)) {
                Optional<String> type = key.patientSearchType();
                if (type.isEmpty()) {
                    return Map.of();
                }
                wanted.put(type.get(), key);
            }
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        try {
            // Laboratory results by the codes the rules read only (RecordQueries says why nothing they act on is lost).
            Optional<FhirDataSource.PatientResources> read = source.searchByPatient(patientId, wanted.keySet(),
                    labCodeSet);
            read.ifPresent(found -> found.unreadable().forEach(reference -> {
                // The rest is read and judged; this kind of data is incomplete, and the card names the record.
                unreadable.add(reference);
                RecordPart key = wanted.get(reference.substring(0, Math.max(0, reference.indexOf('/'))));
                unavailable.add(key != null ? key : RecordPart.MEDICATION_REQUESTS);
            }));
            return read.map(FhirDataSource.PatientResources::byType).orElse(Map.of());
        } catch (FhirDataSource.DataUnavailableException e) {
            unavailable.addAll(wanted.values());
            return Map.of();
        }
    }

    /**
     * Reads the Medication a resource points to, unless it is contained. Returns false when a reference could not
     * be followed, so the caller can say the medication history is incomplete.
     */
    private static boolean resolveMedication(Resource resource, FhirDataSource source, Map<String, Medication> cache) {
        Optional<Reference> reference = medicationReference(resource);
        if (reference.isEmpty() || !reference.get().hasReference()
                || reference.get().getReference().startsWith("#")) {
            return true;
        }
        String ref = reference.get().getReference();
        if (cache.containsKey(ref) || MedicationIndex.relativeKey(ref).filter(cache::containsKey).isPresent()) {
            return true;
        }
        String[] parts = ref.split("/");
        if (parts.length < 2 || !"Medication".equals(parts[parts.length - 2])) {
            return false;
        }
        try {
            Optional<Resource> medication = source.read("Medication", parts[parts.length - 1]);
            medication.filter(Medication.class::isInstance)
                    .ifPresent(m -> cache.put(ref, (Medication) m));
            return medication.isPresent();
        } catch (FhirDataSource.DataUnavailableException e) {
            return false;
        }
    }

    private static Optional<Reference> medicationReference(Resource resource) {
        List<Object> medication = new ArrayList<>();
        if (resource instanceof MedicationRequest r) {
            medication.add(r.getMedication());
        } else if (resource instanceof MedicationAdministration a) {
            medication.add(a.getMedication());
        } else if (resource instanceof MedicationDispense d) {
            medication.add(d.getMedication());
        } else if (resource instanceof MedicationStatement s) {
            medication.add(s.getMedication());
        }
        return medication.stream().filter(Reference.class::isInstance).map(Reference.class::cast).findFirst();
    }

    /** A source that could not be reached: every read reports the same failure. */
    private record Unreachable(FhirDataSource.DataUnavailableException failure) implements FhirDataSource {

        @Override
        public List<Resource> search(String relativeUrl) {
            throw failure;
        }

        @Override
        public Optional<Resource> read(String resourceType, String id) {
            throw failure;
        }
    }
}
