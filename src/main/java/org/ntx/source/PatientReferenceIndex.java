package org.ntx.source;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.dao.ISearchBuilder;
import ca.uhn.fhir.jpa.dao.SearchBuilderFactory;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamToken;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A patient's resources of several types in one query over HAPI's reference index, instead of one HAPI search per
 * type. For each type here, the R4 search parameter {@code patient} is the {@code subject} reference to a Patient, and
 * HAPI indexes that reference as a row of HFJ_RES_LINK with source path "{type}.subject": the same rows HAPI's own
 * {@code {type}?patient={id}} search reads. The bodies are then loaded by HAPI's own loader, in one batch.
 *
 * <p>Why: six HAPI searches per CDS call cost about 30 ms on two cores (bench/profiling.md), nearly all of it HAPI's
 * search machinery built and run six times. {@code PatientReferenceIndexIT} holds this to the searches' results,
 * including updated, re-pointed and deleted resources.
 *
 * <p>Observations can be limited to those coded, or with a component coded, with one of a set of codes (the
 * laboratory tests the rules read): exactly the Observations HAPI's {@code Observation?patient={id}&code=a,b,...}
 * and {@code ...&component-code=a,b,...} searches would return together, read from HAPI's token index
 * (HFJ_SPIDX_TOKEN's HASH_VALUE, the hash HAPI's own search uses for a code without a system; HAPI trims the value
 * before hashing). A patient with thousands of vital signs and notes then costs what their laboratory results cost.
 *
 * <p>It depends on HAPI 8.8.0's schema (HFJ_RES_LINK, HFJ_RESOURCE, HFJ_SPIDX_TOKEN); the version is pinned in
 * pom.xml, and the IT fails if an upgrade changes what these tables mean.
 */
@Component
class PatientReferenceIndex {

    /** The types read this way, each with the source path HAPI stores for its {@code patient} reference. */
    static final Map<String, String> SUBJECT_PATHS = Map.of(
            "MedicationRequest", "MedicationRequest.subject",
            "MedicationAdministration", "MedicationAdministration.subject",
            "MedicationDispense", "MedicationDispense.subject",
            "MedicationStatement", "MedicationStatement.subject",
            "Observation", "Observation.subject",
            "Condition", "Condition.subject");

    private static final String IDENTITY = "SELECT res_type, fhir_id FROM hfj_resource WHERE res_id = ?";

    private static final String QUERY = "SELECT DISTINCT l.src_resource_id, l.source_resource_type"
            + " FROM hfj_res_link l JOIN hfj_resource r ON r.res_id = l.src_resource_id"
            + " WHERE l.target_resource_id = ? AND l.target_resource_type = 'Patient'"
            + " AND l.src_path IN (" + String.join(", ", SUBJECT_PATHS.values().stream().sorted()
                    .map(path -> "'" + path + "'").toList()) + ")"
            + " AND r.res_deleted_at IS NULL";

    /** The token parameters of Observation that a code filter matches: its own code, and its components'. */
    static final List<String> OBSERVATION_CODE_PARAMETERS = List.of("code", "component-code");

    private final JdbcTemplate jdbc;
    private final IIdHelperService<JpaPid> ids;
    private final SearchBuilderFactory<JpaPid> searchBuilders;
    private final PartitionSettings partitions;
    /** The query for the last code set asked for (it is the same set on every call). */
    private volatile FilteredQuery filtered;
    /**
     * HAPI's loader, made once and shared by every call. A SearchBuilder is a Spring prototype, and making one per
     * call (autowiring a dozen collaborators) was 10% of a full-read call's CPU samples (bench/profiling.md, fix 7).
     * Sharing it is safe for loading only: in HAPI 8.8.0 nothing under {@code loadResourcesByPid} writes a field of
     * the builder (checked in its bytecode: only its constructor, {@code init} and setters do, and we call none of
     * those), so concurrent calls share nothing but HAPI's own thread-safe services.
     */
    private volatile ISearchBuilder<JpaPid> loader;

    private record FilteredQuery(Set<String> codes, String sql) {}

    PatientReferenceIndex(JdbcTemplate jdbc, IIdHelperService<JpaPid> ids, SearchBuilderFactory<JpaPid> searchBuilders,
                          PartitionSettings partitions) {
        this.jdbc = jdbc;
        this.ids = ids;
        this.searchBuilders = searchBuilders;
        this.partitions = partitions;
    }

    /**
     * The query, with Observations limited to those whose code or a component's code is one of {@code codes}: the
     * hashes are numbers computed here, so they are written into the statement, which is then the same text on every
     * call (one prepared statement for the database to plan).
     */
    private String query(Set<String> observationCodes) {
        if (observationCodes.isEmpty()) {
            return QUERY;
        }
        FilteredQuery known = filtered;
        if (known != null && known.codes().equals(observationCodes)) {
            return known.sql();
        }
        Set<Long> hashes = new TreeSet<>();
        for (String parameter : OBSERVATION_CODE_PARAMETERS) {
            for (String code : observationCodes) {
                hashes.add(ResourceIndexedSearchParamToken.calculateHashValue(partitions,
                        RequestPartitionId.defaultPartition(), "Observation", parameter, code));
            }
        }
        String sql = QUERY + " AND (l.source_resource_type <> 'Observation' OR EXISTS (SELECT 1 FROM hfj_spidx_token t"
                + " WHERE t.res_id = l.src_resource_id AND t.hash_value IN ("
                + hashes.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")))";
        filtered = new FilteredQuery(Set.copyOf(observationCodes), sql);
        return sql;
    }

    /**
     * The patient's resources of the given types, by type (a type with none maps to an empty list). Empty when this
     * index cannot answer exactly as the searches would: a type it does not cover, a patient it does not know, or more
     * than {@code maxPerType} of one type. A stored resource whose body cannot be parsed (stored by an older version
     * that let {@code "value": 5.} through, or damaged) is named in {@code unreadable} and the others are returned:
     * one bad record must not make the whole record unavailable. Must run inside a transaction.
     *
     * @param observationCodes when not empty, only Observations coded (or with a component coded) with one of these
     *                         codes, in any system
     */
    Optional<FhirDataSource.PatientResources> byType(String patientId, Set<String> types, Set<String> observationCodes,
                                                     int maxPerType) {
        if (!SUBJECT_PATHS.keySet().containsAll(types)) {
            return Optional.empty();
        }
        JpaPid patient;
        try {
            patient = ids.resolveResourceIdentityPid(RequestPartitionId.allPartitions(), "Patient", patientId,
                    ResolveIdentityMode.excludeDeleted().cacheOk());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return Optional.empty();
        }

        Map<String, List<JpaPid>> pidsByType = new HashMap<>();
        jdbc.query(query(observationCodes), row -> {
            String type = row.getString(2);
            if (types.contains(type)) {
                pidsByType.computeIfAbsent(type, t -> new ArrayList<>()).add(JpaPid.fromId(row.getLong(1)));
            }
        }, patient.getId());
        if (pidsByType.values().stream().anyMatch(pids -> pids.size() > maxPerType)) {
            return Optional.empty();
        }

        List<JpaPid> all = pidsByType.values().stream().flatMap(List::stream).toList();
        List<IBaseResource> loaded = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        if (!all.isEmpty()) {
            ISearchBuilder<JpaPid> loader = loader();
            try {
                loader.loadResourcesByPid(all, Set.of(), loaded, false, new SystemRequestDetails());
            } catch (RuntimeException batchFailed) {
                // One body that does not parse fails the whole batch: load one by one and name those that fail.
                loaded.clear();
                for (JpaPid pid : all) {
                    try {
                        loader.loadResourcesByPid(List.of(pid), Set.of(), loaded, false, new SystemRequestDetails());
                    } catch (RuntimeException unparseable) {
                        unreadable.add(identity(pid));
                    }
                }
            }
        }
        Map<String, List<Resource>> byType = loaded.stream()
                .filter(Resource.class::isInstance).map(Resource.class::cast)
                .collect(Collectors.groupingBy(Resource::fhirType));
        if (byType.values().stream().mapToInt(List::size).sum() + unreadable.size() != all.size()) {
            return Optional.empty(); // a body HAPI would not return (deleted meanwhile): let the searches decide
        }
        Map<String, List<Resource>> result = new HashMap<>();
        for (String type : types) {
            result.put(type, List.copyOf(byType.getOrDefault(type, List.of())));
        }
        return Optional.of(new FhirDataSource.PatientResources(result, unreadable));
    }

    private ISearchBuilder<JpaPid> loader() {
        ISearchBuilder<JpaPid> known = loader;
        if (known == null) {
            // The builder's own type does not matter for loading: each body is parsed as the type stored with it.
            known = searchBuilders.newSearchBuilder("Patient", Patient.class);
            loader = known;
        }
        return known;
    }

    /** {@code Observation/123}: the type and FHIR id of a stored resource, for naming it on a card. */
    private String identity(JpaPid pid) {
        return jdbc.query(IDENTITY, rows -> rows.next() ? rows.getString(1) + "/" + rows.getString(2)
                : "a stored resource", pid.getId());
    }
}
