package dev.spool.projection.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the topics this service declares are created ({@code spool.kafka.*}, shared by all services).
 *
 * @param replicationFactor replicas per partition: 1 on the embedded broker, 3 in production
 */
@Validated
@ConfigurationProperties("spool.kafka")
public record TopicProperties(@DefaultValue("1") @Min(1) short replicationFactor) {
}
