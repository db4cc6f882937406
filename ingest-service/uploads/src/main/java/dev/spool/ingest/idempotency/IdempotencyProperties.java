package dev.spool.ingest.idempotency;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long {@code Idempotency-Key}s hold ({@code spool.ingest.*}).
 *
 * @param idempotencyTtl how long an {@code Idempotency-Key} and its answer are remembered
 * @param idempotencyLockTtl the lease of an {@code Idempotency-Key}'s claim: a running request renews it every third
 *     of it, so a retry with the same key works again at most this long after its request is gone (a crashed
 *     instance, a claim whose answer Redis lost)
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record IdempotencyProperties(
        @NotNull @DefaultValue("24h") Duration idempotencyTtl,
        @NotNull @DefaultValue("6s") Duration idempotencyLockTtl) {
}
