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
 */
@Validated
@ConfigurationProperties("spool.projection")
public record ProjectionProperties(
        @Valid @NotNull @DefaultValue Consumer consumer,
        @Valid @NotNull @DefaultValue Mongo mongo,
        @Valid @NotNull @DefaultValue Redis redis,
        @Valid @NotNull @DefaultValue Retry retry) {

    /**
     * Kafka consumer settings.
     *
     * @param groupId consumer group of the projection; a new group reads both topics from the beginning
     * @param concurrency listener threads; more than the partition count leaves threads idle
     */
    public record Consumer(
            @DefaultValue("spool-projection") @NotBlank String groupId,
            @DefaultValue("1") @Min(1) int concurrency) {
    }

    /**
     * MongoDB settings.
     *
     * @param timeout longest wait for one read-fold-write before it counts as a store failure
     */
    public record Mongo(@DefaultValue("10s") @NotNull Duration timeout) {
    }

    /**
     * Redis settings.
     *
     * @param ttl how long a cached view lives after its last write
     * @param timeout longest wait for one cache write before it is given up (the view stays in MongoDB)
     */
    public record Redis(
            @DefaultValue("24h") @NotNull Duration ttl,
            @DefaultValue("2s") @NotNull Duration timeout) {
    }

    /**
     * Blocking back-off between attempts at an event whose write failed, growing exponentially to a cap.
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
