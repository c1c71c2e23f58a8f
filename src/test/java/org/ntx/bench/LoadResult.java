package org.ntx.bench;

import java.util.Arrays;
import java.util.Locale;

/** Throughput and latency percentiles of one scenario, measured over a fixed time on loopback. */
record LoadResult(String scenario, long requests, long errors, double seconds, long[] latenciesMicros) {

    double throughput() {
        return requests / seconds;
    }

    double percentileMillis(double percentile) {
        if (latenciesMicros.length == 0) {
            return Double.NaN;
        }
        long[] sorted = latenciesMicros.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    String row(double baselineThroughput) {
        return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2fx | %d |", scenario, throughput(),
                percentileMillis(50), percentileMillis(99), throughput() / baselineThroughput, errors);
    }
}
