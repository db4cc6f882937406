package dev.spool.schemas.topic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A topic's name and settings. Replication is not part of the spec: it is a property of the environment
 * (1 on the embedded broker, 3 in production) and is given when the topic is created.
 *
 * @param name topic name
 * @param partitions partition count; job topics and event topics share it so that one job's records stay
 *     co-partitioned by key (jobId)
 * @param retention how long records are kept; {@code null} keeps them forever
 * @param compacted log compaction instead of deletion
 */
public record TopicSpec(String name, int partitions, Duration retention, boolean compacted) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
    }

    static TopicSpec deleting(String name, int partitions, Duration retention) {
        return new TopicSpec(name, partitions, retention, false);
    }

    static TopicSpec compacted(String name, int partitions) {
        return new TopicSpec(name, partitions, null, true);
    }

    /** The topic-level configs ({@code cleanup.policy}, {@code retention.ms}) as Kafka expects them. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        return configs;
    }
}
