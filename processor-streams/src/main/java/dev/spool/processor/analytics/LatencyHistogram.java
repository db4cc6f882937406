package dev.spool.processor.analytics;

import dev.spool.schemas.analytics.JobStats;
import java.util.Arrays;

/**
 * Processing times of one window in buckets a quarter power of two wide (about 19 %), from 1 ms to past a day:
 * a fixed, small state however many jobs a window holds, with percentiles accurate to one bucket. A percentile is
 * reported as the upper bound of its bucket (capped at the exact maximum), so it is never below the true value.
 *
 * @param counts jobs per bucket
 * @param max the longest time added, exact
 */
record LatencyHistogram(long[] counts, long max) {

    /** Upper bounds in milliseconds: ceil(2^(i/4)). */
    static final long[] BOUNDS = bounds();

    LatencyHistogram {
        counts = counts.clone();
        if (counts.length != BOUNDS.length) {
            throw new IllegalArgumentException("expected " + BOUNDS.length + " buckets, got " + counts.length);
        }
    }

    static LatencyHistogram empty() {
        return new LatencyHistogram(new long[BOUNDS.length], 0);
    }

    /** This histogram with one more time. */
    LatencyHistogram add(long millis) {
        long value = Math.max(0, millis);
        long[] more = counts.clone();
        more[bucket(value)]++;
        return new LatencyHistogram(more, Math.max(max, value));
    }

    long count() {
        return Arrays.stream(counts).sum();
    }

    /** The {@code q} quantile (0 < q ≤ 1), or {@code null} when empty. */
    Long quantile(double q) {
        long total = count();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(BOUNDS[i], max);
            }
        }
        return max;
    }

    JobStats.Latency summary() {
        long total = count();
        return new JobStats.Latency(total, quantile(0.5), quantile(0.95), total == 0 ? null : max);
    }

    static int bucket(long millis) {
        int at = Arrays.binarySearch(BOUNDS, millis);
        if (at >= 0) {
            while (at > 0 && BOUNDS[at - 1] == millis) {
                at--;
            }
            return at;
        }
        return Math.min(-at - 1, BOUNDS.length - 1);
    }

    private static long[] bounds() {
        long day = 24L * 60 * 60 * 1000;
        int size = (int) Math.ceil(4 * Math.log(day) / Math.log(2)) + 2;
        long[] bounds = new long[size];
        for (int i = 0; i < size; i++) {
            bounds[i] = (long) Math.ceil(Math.pow(2, i / 4.0));
        }
        bounds[size - 1] = Long.MAX_VALUE;
        return bounds;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyHistogram that && max == that.max && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Long.hashCode(max);
    }

    @Override
    public String toString() {
        return "LatencyHistogram[count=" + count() + ", max=" + max + "]";
    }
}
