package dev.spool.ingest.publish;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How ingest's Kafka producer makes jobs exist ({@code spool.ingest.*}).
 *
 * @param publishTimeout how long an upload waits for Kafka to acknowledge its job before answering 503
 * @param transactionIdPrefix prefix of the Kafka transactional ids; each process appends its own instance id
 * @param publishTransactionTimeout how long the broker lets one of ingest's transactions stay open before it aborts
 *     it: how long a killed instance's unfinished transaction holds back read-committed readers (the processor, the
 *     projection) of the partitions it wrote to, since a restarted instance draws new transactional ids and so does
 *     not end it; a transaction that outlasts it fails, and its uploads are answered 503. 5 s keeps a killed
 *     instance's hold, with the broker's check after it, within the few seconds that a peer takes over in
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record JobPublishingProperties(
        @NotNull @DefaultValue("15s") Duration publishTimeout,
        @NotBlank @DefaultValue("spool-ingest-") String transactionIdPrefix,
        @NotNull @DefaultValue("5s") Duration publishTransactionTimeout) {
}
