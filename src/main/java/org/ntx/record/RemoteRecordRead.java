package org.ntx.record;

import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ntx.source.FhirDataSource.DataUnavailableException;
import org.ntx.source.RemoteFhirSource;
import org.ntx.source.RemoteSearch;
import org.ntx.timeline.Shortfall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * One call's read of a patient's record from the client's FHIR server, with all the waiting overlapped: every part the
 * prefetch lacks (and the rest of every prefetched part that came with a {@code next} link) is searched at once; the
 * Medications a part references are asked for, by id in one search, as soon as that part has arrived, unless the
 * server {@code _include}d them already. Nothing is waited for past the call's deadline. Then each part is what
 * arrived of it, and a part that did not arrive whole is unavailable, with the reason (not in time, incomplete, not
 * read), so that what did arrive still counts: an injection that arrived proves the blockade even if another list
 * was late.
 */
final class RemoteRecordRead {

    /** The FHIR id syntax: anything else in a reference is not put into a query. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private final RemoteFhirSource source;
    private final RecordQueries queries;
    /** One read per Medication id, however many parts reference it. */
    private final Map<String, CompletableFuture<Optional<Medication>>> medicationReads = new ConcurrentHashMap<>();
    /** Medications that came with the data (included in a search, or in the prefetch). */
    private final Map<String, Medication> arrived = new ConcurrentHashMap<>();

    RemoteRecordRead(RemoteFhirSource source, RecordQueries queries) {
        this.source = source;
        this.queries = queries;
    }

    /** What one part is made of while it is read: what was given, the searches under way, then its Medications. */
    private static final class PartRead {
        final List<Resource> given;
        final List<RemoteSearch> searches = new ArrayList<>();
        CompletableFuture<Void> done;

        PartRead(List<Resource> given) {
            this.given = given;
        }

        List<Resource> resources() {
            List<Resource> all = new ArrayList<>(given);
            Set<String> seen = new java.util.HashSet<>();
            given.forEach(r -> seen.add(key(r)));
            for (RemoteSearch search : searches) {
                for (Resource r : search.matches()) {
                    // The lab searches are split by code: an Observation with codes in two lists comes twice.
                    if (seen.add(key(r))) {
                        all.add(r);
                    }
                }
            }
            return all;
        }

        private static String key(Resource r) {
            String id = r.getIdElement().getIdPart();
            return id != null ? r.fhirType() + "/" + id : "unnamed@" + System.identityHashCode(r);
        }
    }

    PatientRecord read(RecordRequest request, Instant asOf) {
        String patientId = request.patientId();
        request.prefetched().values().forEach(this::remember);
        remember(request.drafts());

        Map<RecordPart, PartRead> parts = new EnumMap<>(RecordPart.class);
        for (RecordPart part : RecordReader.CLINICAL_DATA) {
            List<Resource> given = request.prefetched().get(part);
            PartRead read = new PartRead(given == null ? List.of() : given);
            if (given == null) {
                for (String search : queries.searches(part, patientId, asOf, source::canInclude,
                        source::canSearchBy)) {
                    read.searches.add(source.startSearch(search));
                }
            } else if (request.prefetchedNext().containsKey(part)) {
                read.searches.add(source.continueSearch(request.prefetchedNext().get(part), part.resourceType()));
            }
            parts.put(part, read);
        }
        // Each part's Medications are asked for the moment that part has arrived, not after the slowest part.
        for (PartRead read : parts.values()) {
            CompletableFuture<?>[] searches = read.searches.stream().map(RemoteSearch::done)
                    .toArray(CompletableFuture[]::new);
            // Also when a search failed: the Medications of what did arrive can still prove a finding.
            read.done = CompletableFuture.allOf(searches).handle((whole, failure) -> whole).thenCompose(ignored -> {
                read.searches.forEach(search -> remember(search.included()));
                return resolve(read.resources());
            });
        }
        CompletableFuture<Void> draftMedications = resolve(request.drafts());

        List<CompletableFuture<?>> everything = new ArrayList<>();
        parts.values().forEach(read -> everything.add(read.done));
        everything.add(draftMedications);
        try {
            source.await(CompletableFuture.allOf(everything.toArray(CompletableFuture[]::new)), "the record");
        } catch (DataUnavailableException e) {
            // Each part is judged below on what it got.
        }
        source.close();

        Map<RecordPart, List<Resource>> resources = new EnumMap<>(RecordPart.class);
        Set<RecordPart> unavailable = EnumSet.noneOf(RecordPart.class);
        Map<RecordPart, Shortfall> shortfalls = new EnumMap<>(RecordPart.class);
        Map<String, Medication> medications = new HashMap<>();
        for (Map.Entry<RecordPart, PartRead> entry : parts.entrySet()) {
            RecordPart part = entry.getKey();
            PartRead read = entry.getValue();
            List<Resource> got = read.resources();
            resources.put(part, got);
            Optional<Shortfall> shortfall = shortfall(read, got);
            boolean resolved = resolveFrom(got, medications);
            if (shortfall.isEmpty() && !resolved) {
                shortfall = Optional.of(medicationsLate() ? Shortfall.NOT_READ_IN_TIME : Shortfall.NOT_READ);
            }
            shortfall.ifPresent(why -> {
                unavailable.add(part);
                shortfalls.put(part, why);
            });
        }
        // A draft whose Medication could not be had is not a gap in the history: the rules name that draft on its own
        // data-unavailable card (its medication could not be read), as for a draft read from the own store.
        resolveFrom(request.drafts(), medications);
        return new PatientRecord(patientId, Map.copyOf(resources), Set.copyOf(unavailable), Map.copyOf(medications),
                shortfalls, List.of());
    }

    /** Why a part did not arrive whole, or empty when it did. */
    private static Optional<Shortfall> shortfall(PartRead read, List<Resource> got) {
        for (RemoteSearch search : read.searches) {
            CompletableFuture<Void> done = search.done();
            if (!done.isDone() || done.isCancelled()) {
                return Optional.of(Shortfall.NOT_READ_IN_TIME);
            }
            if (done.isCompletedExceptionally()) {
                Throwable failure = failure(done);
                if (failure instanceof DataUnavailableException unavailable && unavailable.late()) {
                    return Optional.of(Shortfall.NOT_READ_IN_TIME);
                }
                return Optional.of(got.isEmpty() ? Shortfall.NOT_READ : Shortfall.INCOMPLETE);
            }
        }
        return Optional.empty();
    }

    private boolean medicationsLate() {
        return medicationReads.values().stream().anyMatch(read -> !read.isDone() || read.isCancelled()
                || (read.isCompletedExceptionally() && failure(read) instanceof DataUnavailableException u
                        && u.late()));
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.getNow(null);
            return null;
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            Throwable cause = e;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }

    /**
     * Indexes Medications that came with the data under every reference an order may use (relative, absolute, the
     * entry's {@code urn:uuid}: {@link MedicationIndex}).
     */
    private void remember(List<Resource> resources) {
        MedicationIndex.addAll(resources, arrived);
    }

    /** Asks, in one search, for the Medications {@code resources} reference that no one has asked for yet. */
    private CompletableFuture<Void> resolve(List<Resource> resources) {
        List<String> claimed = new ArrayList<>();
        List<CompletableFuture<Optional<Medication>>> waits = new ArrayList<>();
        Map<String, CompletableFuture<Optional<Medication>>> mine = new LinkedHashMap<>();
        for (Resource resource : resources) {
            Optional<String> id = fetchableId(resource);
            if (id.isEmpty() || arrived.containsKey("Medication/" + id.get())) {
                continue;
            }
            CompletableFuture<Optional<Medication>> fresh = new CompletableFuture<>();
            CompletableFuture<Optional<Medication>> existing = medicationReads.putIfAbsent(id.get(), fresh);
            if (existing == null) {
                claimed.add(id.get());
                mine.put(id.get(), fresh);
                waits.add(fresh);
            } else {
                waits.add(existing);
            }
        }
        for (String search : queries.medicationsById(claimed)) {
            RemoteSearch byId = source.startSearch(search);
            byId.done().whenComplete((whole, failure) -> {
                Map<String, Medication> found = new HashMap<>();
                for (Resource r : byId.matches()) {
                    if (r instanceof Medication m) {
                        found.put(m.getIdElement().getIdPart(), m);
                    }
                }
                for (String id : search.substring("Medication?_id=".length(), search.indexOf('&')).split(",")) {
                    CompletableFuture<Optional<Medication>> read = mine.get(id);
                    if (failure != null && !found.containsKey(id)) {
                        read.completeExceptionally(failure);
                    } else {
                        read.complete(Optional.ofNullable(found.get(id)));
                    }
                }
            });
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).exceptionally(failure -> null);
    }

    /**
     * Puts the Medication each resource references into {@code medications}, under the reference as written;
     * false when one could not be had (a reference to another server, a urn not in the data, or one not read).
     */
    private boolean resolveFrom(List<Resource> resources, Map<String, Medication> medications) {
        boolean all = true;
        for (Resource resource : resources) {
            Optional<Reference> reference = medicationReference(resource);
            if (reference.isEmpty() || !reference.get().hasReference()
                    || reference.get().getReference().startsWith("#")) {
                continue;
            }
            String ref = reference.get().getReference();
            Medication medication = arrived.get(ref);
            if (medication == null) {
                medication = MedicationIndex.relativeKey(ref).map(arrived::get).orElse(null);
            }
            if (medication == null) {
                medication = fetchableId(resource).map(id -> {
                    Medication came = arrived.get("Medication/" + id);
                    if (came != null) {
                        return came;
                    }
                    CompletableFuture<Optional<Medication>> read = medicationReads.get(id);
                    return read != null && read.isDone() && !read.isCompletedExceptionally()
                            ? read.join().orElse(null) : null;
                }).orElse(null);
            }
            if (medication == null) {
                all = false;
            } else {
                medications.put(ref, medication);
            }
        }
        return all;
    }

    /** The id of the Medication a resource references, when it can be read from this server. */
    private Optional<String> fetchableId(Resource resource) {
        Optional<Reference> reference = medicationReference(resource);
        if (reference.isEmpty() || !reference.get().hasReference()) {
            return Optional.empty();
        }
        String ref = reference.get().getReference();
        String local = ref.startsWith(source.base() + "/") ? ref.substring(source.base().length() + 1) : ref;
        String[] parts = local.split("/");
        if (parts.length != 2 || !parts[0].equals("Medication") || !FHIR_ID.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    static Optional<Reference> medicationReference(Resource resource) {
        Object medication = null;
        if (resource instanceof MedicationRequest r) {
            medication = r.getMedication();
        } else if (resource instanceof MedicationAdministration a) {
            medication = a.getMedication();
        } else if (resource instanceof MedicationDispense d) {
            medication = d.getMedication();
        } else if (resource instanceof MedicationStatement s) {
            medication = s.getMedication();
        }
        return medication instanceof Reference reference ? Optional.of(reference) : Optional.empty();
    }
}
