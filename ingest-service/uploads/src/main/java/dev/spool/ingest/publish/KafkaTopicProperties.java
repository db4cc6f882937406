package dev.spool.ingest.publish;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Environment-specific topic settings shared by all Spool services.
 *
 * @param replicationFactor replicas of every topic this service creates: 1 on the embedded broker, 3 in production
 */
@Validated
@ConfigurationProperties("spool.kafka")
public record KafkaTopicProperties(@Min(1) @DefaultValue("1") short replicationFactor) {
}
