package dev.spool.ingest.publish;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How accepted uploads become jobs on Kafka: uploads that finish at the same time share one transaction.
 *
 * @param transactions how many transactions this instance may be committing at once; uploads finishing meanwhile
 *     wait and go together in the next one
 * @param maxBatch most jobs in one transaction
 * @param inlineDocumentMax largest file whose bytes travel in its work record (header {@code spool_document}) as well
 *     as being stored, so that the processor need not fetch it again; {@code 0} sends none. Files stored in parts and
 *     resumable uploads never travel
 */
@Validated
@ConfigurationProperties("spool.ingest.publish")
public record PublishProperties(
        @Positive @DefaultValue("4") int transactions,
        @Positive @DefaultValue("200") int maxBatch,
        @NotNull @DefaultValue("64KB") DataSize inlineDocumentMax) {
}
