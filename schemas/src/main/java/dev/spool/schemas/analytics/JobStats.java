package dev.spool.schemas.analytics;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One window of job outcomes on {@code spool.analytics.job-stats}, keyed by {@code windowStart}: how many jobs
 * ended in it, by outcome, detected content type and tier, their bytes, and how long the completed ones took. A job
 * counts in the window of the event that ended it; a job replayed after being dead-lettered counts again when it
 * ends again. Published once per window, after the window closed.
 *
 * @param windowStart inclusive
 * @param windowEnd exclusive
 * @param jobs outcomes in the window
 * @param byOutcome {@code completed}, {@code failed}, {@code dead_lettered}
 * @param byContentType the detected media type
 * @param byTier {@code high}, {@code normal}, {@code low}
 * @param bytes total size of the jobs' files
 * @param processingMillis the completed jobs' processing time (their last attempt)
 */
public record JobStats(Instant windowStart, Instant windowEnd, long jobs, Map<String, Long> byOutcome,
        Map<String, Long> byContentType, Map<String, Long> byTier, long bytes, Latency processingMillis) {

    /** The JSON Schema of the value, as in the {@code ce_dataschema}-style header {@code dataschema}. */
    public static final String DATA_SCHEMA = "https://spool.dev/schemas/job-stats.v1.schema.json";

    public JobStats {
        byOutcome = new TreeMap<>(byOutcome);
        byContentType = new TreeMap<>(byContentType);
        byTier = new TreeMap<>(byTier);
    }

    /**
     * Processing time of the window's completed jobs, from a histogram with buckets about 19 % wide: the
     * percentiles are the upper bound of the bucket they fall in, never below the true value.
     *
     * @param count completed jobs
     * @param p50 median, milliseconds, {@code null} without completed jobs
     * @param p95 95th percentile, milliseconds, {@code null} without completed jobs
     * @param max the longest, exact, {@code null} without completed jobs
     */
    public record Latency(long count, Long p50, Long p95, Long max) {
    }
}
