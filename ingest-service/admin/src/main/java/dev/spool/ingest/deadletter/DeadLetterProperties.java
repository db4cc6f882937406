package dev.spool.ingest.deadletter;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the dead-letter admin API ({@code /api/v1/admin/dlq}).
 *
 * @param maxReplays how often a job may be replayed before a replay needs {@code force}: a job that keeps coming
 *     back is usually a bug or a poisoned document, and replaying it again only feeds the loop
 * @param maxBatch most entries one replay or purge by filter touches; repeat the call for more
 */
@Validated
@ConfigurationProperties("spool.admin.dlq")
public record DeadLetterProperties(
        @DefaultValue("3") @Min(1) int maxReplays,
        @DefaultValue("500") @Min(1) @Max(10_000) int maxBatch) {
}
