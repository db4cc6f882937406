package dev.spool.ingest.publish;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How accepted uploads become jobs on Kafka: uploads that finish at the same time share one transaction.
 *
 * @param transactions how many transactions this instance may be committing at once; uploads finishing meanwhile
 *     wait and go together in the next one
 * @param maxBatch most jobs in one transaction
 */
@Validated
@ConfigurationProperties("spool.ingest.publish")
public record PublishProperties(
        @Positive @DefaultValue("4") int transactions,
        @Positive @DefaultValue("200") int maxBatch) {
}
