package dev.spool.ingest.resilience;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the ingest service rides out failing dependencies.
 *
 * @param retry retries of storage calls
 * @param breaker the circuit breaker kept per dependency (S3, Kafka, Redis, MongoDB)
 * @param storage timeouts of the S3 client
 */
@Validated
@ConfigurationProperties("spool.resilience")
public record ResilienceProperties(
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Breaker breaker,
        @Valid @NotNull @DefaultValue StorageTimeouts storage) {

    /**
     * Exponential backoff with full jitter: the n-th retry waits a uniformly random time between zero and
     * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}.
     *
     * @param maxAttempts calls in all, the first included; 1 disables retries
     * @param initialBackoff the cap of the first wait
     * @param multiplier growth of the cap per retry
     * @param maxBackoff the largest cap
     */
    public record Retry(
            @Min(1) @DefaultValue("4") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration initialBackoff,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @NotNull @DefaultValue("5s") Duration maxBackoff) {
    }

    /**
     * A count-based circuit breaker; only dependency failures count (timeouts, connection errors, 5xx, 429), never a
     * caller's mistake.
     *
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindowSize calls the failure rate is computed over
     * @param minimumCalls calls needed before the failure rate counts
     * @param waitInOpen how long an open breaker refuses calls before letting trial calls through; also the
     *     {@code Retry-After} of the 503 it causes
     * @param halfOpenCalls trial calls in the half-open state
     */
    public record Breaker(
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @Positive @DefaultValue("20") int slidingWindowSize,
            @Positive @DefaultValue("10") int minimumCalls,
            @NotNull @DefaultValue("15s") Duration waitInOpen,
            @Positive @DefaultValue("3") int halfOpenCalls) {
    }

    /**
     * Timeouts of S3 calls.
     *
     * @param connect establishing a connection
     * @param read waiting for the next bytes of a response
     * @param call one call, such as sending one part, from start to end
     */
    public record StorageTimeouts(
            @NotNull @DefaultValue("2s") Duration connect,
            @NotNull @DefaultValue("30s") Duration read,
            @NotNull @DefaultValue("2m") Duration call) {
    }
}
