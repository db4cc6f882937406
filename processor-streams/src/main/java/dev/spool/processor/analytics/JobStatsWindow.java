package dev.spool.processor.analytics;

import dev.spool.schemas.analytics.JobStats;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The running aggregate of one window; each outcome gives a new one, as a Streams aggregator wants. */
record JobStatsWindow(long jobs, Map<String, Long> byOutcome, Map<String, Long> byContentType,
        Map<String, Long> byTier, long bytes, LatencyHistogram latency) {

    JobStatsWindow {
        byOutcome = new TreeMap<>(byOutcome);
        byContentType = new TreeMap<>(byContentType);
        byTier = new TreeMap<>(byTier);
    }

    static JobStatsWindow empty() {
        return new JobStatsWindow(0, Map.of(), Map.of(), Map.of(), 0, LatencyHistogram.empty());
    }

    JobStatsWindow add(JobOutcome outcome) {
        return new JobStatsWindow(jobs + 1, plusOne(byOutcome, outcome.outcome()),
                plusOne(byContentType, outcome.contentType()), plusOne(byTier, outcome.tier()),
                bytes + outcome.bytes(),
                outcome.processingMillis() == null ? latency : latency.add(outcome.processingMillis()));
    }

    JobStats toStats(Instant start, Instant end) {
        return new JobStats(start, end, jobs, byOutcome, byContentType, byTier, bytes, latency.summary());
    }

    private static Map<String, Long> plusOne(Map<String, Long> counts, String key) {
        Map<String, Long> more = new TreeMap<>(counts);
        more.merge(key == null ? "unknown" : key, 1L, Long::sum);
        return more;
    }
}
