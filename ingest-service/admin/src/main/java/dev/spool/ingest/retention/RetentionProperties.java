package dev.spool.ingest.retention;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long Spool keeps what it stores; each kind is kept forever unless it is set. Nothing expires by default:
 * removing users' files and records is a decision for whoever runs Spool, not a default to discover afterwards.
 *
 * @param originals how long an uploaded file is kept after its upload; then it is removed from S3 (its job stays,
 *     and its download answers {@code original_not_found})
 * @param texts how long an extracted text is kept after it was stored; then it is removed from S3
 * @param jobs how long a job is kept after it was accepted; then it is deleted as by {@code DELETE}: files removed,
 *     the {@code deleted} fact published, its views replaced by tombstones
 * @param deadLetters how long a dead-letter index entry is kept after the job failed; then it leaves the index (the
 *     records on {@code spool.jobs.dlq} go with the topic's own retention)
 * @param sweepInterval how often each instance sweeps what expired
 * @param batch most items of each kind one sweep removes; the rest wait for the next sweep
 * @param lifecycleRules whether to hand the expiry of originals and texts to S3 bucket lifecycle rules where the store
 *     takes them (rounded up to whole days); where it refuses them, the sweeper removes those objects
 */
@Validated
@ConfigurationProperties("spool.retention")
public record RetentionProperties(
        Duration originals,
        Duration texts,
        Duration jobs,
        Duration deadLetters,
        @NotNull @DefaultValue("1h") Duration sweepInterval,
        @DefaultValue("500") @Min(1) @Max(1000) int batch,
        @DefaultValue("true") boolean lifecycleRules) {

    /** Whether anything expires at all; the sweeper does not run otherwise. */
    public boolean enabled() {
        return Stream.of(originals, texts, jobs, deadLetters).anyMatch(period -> period != null);
    }

    @AssertTrue(message = "spool.retention periods and sweep-interval must be positive")
    boolean isPositive() {
        return Stream.of(originals, texts, jobs, deadLetters, sweepInterval)
                .allMatch(period -> period == null || (!period.isNegative() && !period.isZero()));
    }
}
