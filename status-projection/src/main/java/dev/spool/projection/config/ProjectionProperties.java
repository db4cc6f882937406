package dev.spool.projection.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The projection's settings ({@code spool.projection.*}).
 *
 * @param consumer how the projection reads the event topics
 * @param mongo how it writes the durable views
 * @param redis how it writes the cached views
 * @param retry how long it waits between attempts while a store fails; it never skips an event
 * @param jobState how it publishes the latest view of each job to {@code spool.job-state}
 * @param rebuild when {@code true}, MongoDB's views are dropped and rebuilt from the topics while the context starts;
 *     pass it for one run only, with every other projection instance stopped
 */
@Validated
@ConfigurationProperties("spool.projection")
public record ProjectionProperties(
        @Valid @NotNull @DefaultValue Consumer consumer,
        @Valid @NotNull @DefaultValue Mongo mongo,
        @Valid @NotNull @DefaultValue Redis redis,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue JobState jobState,
        @DefaultValue("false") boolean rebuild) {

    /**
     * Kafka consumer settings.
     *
     * @param groupId consumer group that writes MongoDB and {@code spool.job-state}; a new group reads both topics
     *     from the beginning
     * @param liveGroupId consumer group that writes the Redis views and feeds; separate, so that either store going
     *     down holds back only its own writer
     * @param deadLetterGroupId consumer group that projects {@code spool.jobs.dlq} into the dead-letter index that
     *     the admin API lists and replays from
     * @param concurrency listener threads per group; more than the partition count leaves threads idle. Three, because a
     *     writer's thread spends most of a batch waiting on its store and the broker: on two cores, three threads per
     *     group folded 4,600-5,200 events/s against 3,500-3,800 with one (docs/benchmarks.md)
     * @param maxBatch most events the durable and the live writer each take from one poll ({@code max.poll.records})
     *     and write together; their offsets are committed once the whole batch is written, and a failed batch is
     *     written again as a whole
     * @param sessionTimeout how long a group waits for a silent instance (killed, cut off) before its partitions go
     *     to the other instances (heartbeats every third of it); 6 s, the broker's default minimum, keeps a takeover
     *     under 10 s
     */
    public record Consumer(
            @DefaultValue("spool-projection") @NotBlank String groupId,
            @DefaultValue("spool-projection-live") @NotBlank String liveGroupId,
            @DefaultValue("spool-projection-dlq") @NotBlank String deadLetterGroupId,
            @DefaultValue("3") @Min(1) int concurrency,
            @DefaultValue("500") @Min(1) int maxBatch,
            @DefaultValue("6s") @NotNull Duration sessionTimeout) {
    }

    /**
     * MongoDB settings.
     *
     * @param timeout longest wait for one batch's read-fold-write (one query, one bulk write) before it counts as a
     *     store failure
     */
    public record Mongo(@DefaultValue("10s") @NotNull Duration timeout) {
    }

    /**
     * Redis settings.
     *
     * @param ttl how long a view and its feed live in Redis after the job's last change
     * @param degradedTtl the same while MongoDB writes are failing, so that Redis holds the only current copy for as
     *     long as an outage can reasonably last
     * @param timeout longest wait for one Redis call before it counts as a store failure and is retried
     */
    public record Redis(
            @DefaultValue("24h") @NotNull Duration ttl,
            @DefaultValue("7d") @NotNull Duration degradedTtl,
            @DefaultValue("2s") @NotNull Duration timeout) {
    }

    /**
     * Publishing to the compacted {@code spool.job-state} topic.
     *
     * @param timeout longest wait for the broker to acknowledge a batch's views before the batch counts as failed and
     *     is retried
     */
    public record JobState(@DefaultValue("30s") @NotNull Duration timeout) {
    }

    /**
     * Blocking back-off between attempts at a batch whose write failed, growing exponentially to a cap.
     *
     * @param initialInterval wait before the first retry
     * @param multiplier growth of the wait per retry
     * @param maxInterval longest wait; keep it well under {@code max.poll.interval.ms}
     */
    public record Retry(
            @DefaultValue("500ms") @NotNull Duration initialInterval,
            @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
            @DefaultValue("30s") @NotNull Duration maxInterval) {
    }
}
