package org.ntx.record;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Patients' records as last read from this server's own store, reused while {@link RecordGenerations} proves nothing
 * has been written to them since, on this node or any other. A CDS client asks about the same patient several times
 * in one encounter (patient-view, order-select, order-sign), and a full read costs a query plus loading and parsing
 * every resource of the patient's record ({@link PatientReferenceIndex}).
 *
 * <p>Safety: a record is reused only if both counters it was read under are unchanged; the counters are read before
 * the record is, so a write that commits during a read makes the next call read again. Records with any unavailable
 * part are never kept. If the counters cannot be read, the record is read in full (and that read reports the
 * outage). Holds at most {@value #CAPACITY} patients, least recently used out first.
 */
final class StoredRecordCache {

    static final int CAPACITY = 5_000;

    private final RecordGenerations generations;
    private final Map<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > CAPACITY;
        }
    };

    private record Entry(RecordGenerations.Stamp stamp, PatientRecord record) {}

    StoredRecordCache(RecordGenerations generations) {
        this.generations = generations;
    }

    /** The cached record if it is provably current, otherwise {@code read} (kept if it is complete). */
    PatientRecord get(String patientId, Supplier<PatientRecord> read) {
        Optional<RecordGenerations.Stamp> stamp = stamp(patientId);
        if (stamp.isEmpty()) {
            return read.get();
        }
        Entry cached;
        synchronized (entries) {
            cached = entries.get(patientId);
        }
        if (cached != null && cached.stamp().equals(stamp.get())) {
            return cached.record();
        }
        PatientRecord fresh = read.get();
        if (fresh.unavailable().isEmpty()) {
            synchronized (entries) {
                entries.put(patientId, new Entry(stamp.get(), fresh));
            }
        }
        return fresh;
    }

    private Optional<RecordGenerations.Stamp> stamp(String patientId) {
        try {
            return Optional.of(generations.current(patientId));
        } catch (DataAccessException e) {
            return Optional.empty();
        }
    }

    /** The counters, registered with HAPI's storage interceptors so every write path bumps them. */
    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        RecordGenerations recordGenerations(JdbcTemplate jdbc, IInterceptorService interceptors) {
            RecordGenerations generations = new RecordGenerations(jdbc);
            interceptors.registerInterceptor(generations);
            return generations;
        }
    }
}
