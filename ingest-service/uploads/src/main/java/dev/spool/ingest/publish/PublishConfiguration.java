package dev.spool.ingest.publish;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.TopicSpec;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The transactional producer that turns an upload into a job, and the topics it writes. Connection settings come
 * from {@code spring.kafka.*}; durability settings are fixed here because the job contract depends on them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PublishProperties.class)
public class PublishConfiguration {

    /** CloudEvents {@code source} of everything this service publishes. */
    public static final String EVENT_SOURCE = "/spool/ingest-service";

    @Bean
    ProducerFactory<String, JobEvent> jobEventProducerFactory(KafkaProperties kafka, JobPublishingProperties publishing) {
        Map<String, Object> config = kafka.buildProducerProperties();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Duration timeout = publishing.publishTimeout();
        // Bound every wait (metadata, transaction begin/commit, delivery) by the publish timeout, so that an
        // upload answers 503 in time instead of hanging on an unreachable broker.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) publishing.publishTransactionTimeout().toMillis());
        // One producer writes both the tier topics and the facts: events all, in the facts topic's format.
        DefaultKafkaProducerFactory<String, JobEvent> factory = new DefaultKafkaProducerFactory<>(config,
                Topics.JOB_EVENTS.keySerializer(), Topics.JOB_EVENTS.valueSerializer(EVENT_SOURCE));
        // Transactional ids must be unique per running producer: two instances sharing one would fence each other.
        // Nothing here consumes and produces, so fresh ids after a restart lose no exactly-once guarantee.
        factory.setTransactionIdPrefix(publishing.transactionIdPrefix() + UUID.randomUUID().toString().substring(0, 8) + "-");
        return factory;
    }

    /**
     * Looks for an acceptance that an earlier attempt may have committed, waiting for open transactions as long as an
     * upload waits for its publish.
     */
    @Bean
    PublishedAcceptances publishedAcceptances(KafkaAdmin kafkaAdmin, JobPublishingProperties publishing) {
        return new PublishedAcceptances(kafkaAdmin.getConfigurationProperties(), publishing.publishTimeout());
    }

    @Bean
    KafkaTemplate<String, JobEvent> jobEventTemplate(ProducerFactory<String, JobEvent> jobEventProducerFactory) {
        return new KafkaTemplate<>(jobEventProducerFactory);
    }

    /**
     * The tier topics this service writes jobs to, the facts topic it writes acceptances to and the service level
     * it follows: created when missing while the context starts; an existing topic that differs from the contract
     * is reported, not altered.
     */
    @Bean
    ProvisionedTopics ingestTopics(KafkaAdmin kafkaAdmin, KafkaTopicProperties topics) {
        List<TopicSpec> specs = new ArrayList<>(Topics.specs(Topics.jobTopics()));
        specs.add(Topics.JOB_EVENTS.spec());
        specs.add(Topics.SERVICE_LEVEL.spec());
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            return TopicProvisioner.ensure(admin, specs, topics.replicationFactor());
        }
    }
}
