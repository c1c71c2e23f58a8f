package org.ntx.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load generator: a few workers send requests back to back for a warm-up and then a measured
 * period, both bounded in time, to one server on loopback only.
 */
final class LoadGenerator {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int workers;
    private final Duration warmUp;
    private final Duration measure;

    LoadGenerator(int workers, Duration warmUp, Duration measure) {
        this.workers = workers;
        this.warmUp = warmUp;
        this.measure = measure;
    }

    /** @param requests the i-th request to send (workers cycle through their own sequence) */
    LoadResult run(String scenario, IntFunction<HttpRequest> requests) throws Exception {
        drive(requests, warmUp, null, null);
        List<long[]> perWorker = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        drive(requests, measure, perWorker, errors);
        double seconds = (System.nanoTime() - started) / 1e9;
        int total = perWorker.stream().mapToInt(a -> a.length).sum();
        long[] all = new long[total];
        int offset = 0;
        for (long[] latencies : perWorker) {
            System.arraycopy(latencies, 0, all, offset, latencies.length);
            offset += latencies.length;
        }
        return new LoadResult(scenario, total, errors.get(), seconds, all);
    }

    private void drive(IntFunction<HttpRequest> requests, Duration duration, List<long[]> results, AtomicLong errors)
            throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[1 << 16];
                    int count = 0;
                    for (int i = worker; System.nanoTime() < deadline && count < latencies.length; i += workers) {
                        long t0 = System.nanoTime();
                        HttpResponse<Void> response = http.send(requests.apply(i),
                                HttpResponse.BodyHandlers.discarding());
                        long micros = (System.nanoTime() - t0) / 1000;
                        if (response.statusCode() >= 400 && errors != null) {
                            errors.incrementAndGet();
                        }
                        latencies[count++] = micros;
                    }
                    return java.util.Arrays.copyOf(latencies, count);
                }));
            }
            for (Future<long[]> future : futures) {
                long[] latencies = future.get();
                if (results != null) {
                    results.add(latencies);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
