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
 */
@Validated
@ConfigurationProperties("spool.ingest")
public record JobPublishingProperties(
        @NotNull @DefaultValue("15s") Duration publishTimeout,
        @NotBlank @DefaultValue("spool-ingest-") String transactionIdPrefix) {
}
