package dev.spool.bench;

import java.util.List;

/**
 * Percentiles of a set of latencies in milliseconds, by the nearest-rank method.
 *
 * @param count how many latencies
 * @param p50Millis median
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param maxMillis the largest
 */
record LatencySummary(int count, double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    static LatencySummary of(List<Double> millis) {
        if (millis.isEmpty()) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        List<Double> sorted = millis.stream().sorted().toList();
        return new LatencySummary(sorted.size(), rank(sorted, 0.5), rank(sorted, 0.95), rank(sorted, 0.99),
                BenchReport.round(sorted.get(sorted.size() - 1)));
    }

    private static double rank(List<Double> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return BenchReport.round(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))));
    }
}
