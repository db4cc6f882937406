package dev.spool.projection.listener;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.config.TopicProperties;
import dev.spool.projection.health.GroupMembership;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.IsolationLevel;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * The Kafka side of the projection: the topics it reads and writes, and two consumer groups (durable and live)
 * whose consumers see only committed records, hand each poll's records to the listener as one batch, in order, and
 * commit the batch's offsets only after the listener returned.
 */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    /** Boot's default name, so Boot's own listener factory backs off. */
    static final String DURABLE_FACTORY = "kafkaListenerContainerFactory";
    static final String LIVE_FACTORY = "liveListenerContainerFactory";

    /**
     * Both topics the listener reads and the state topic it writes, created when missing while the context starts (before the listener
     * container does); an existing topic that differs from the contract is reported, not altered.
     */
    @Bean
    ProvisionedTopics projectionTopics(KafkaAdmin kafkaAdmin, TopicProperties topics) {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            return TopicProvisioner.ensure(admin, Topics.specs(List.of(Topics.JOB_EVENTS, Topics.JOB_PROGRESS,
                    Topics.JOB_STATE, Topics.DLQ)), topics.replicationFactor());
        }
    }

    @Bean(DURABLE_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, JobEvent> durableListenerContainerFactory(KafkaProperties kafka,
            KafkaConnectionDetails connection, ProjectionProperties properties, GroupMembership membership,
            MeterRegistry meters) {
        return containerFactory(consumerFactory(kafka, connection, properties.consumer().groupId(), properties, meters),
                properties, membership);
    }

    @Bean(LIVE_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, JobEvent> liveListenerContainerFactory(KafkaProperties kafka,
            KafkaConnectionDetails connection, ProjectionProperties properties, GroupMembership membership,
            MeterRegistry meters) {
        return containerFactory(consumerFactory(kafka, connection, properties.consumer().liveGroupId(), properties,
                meters), properties, membership);
    }

    private static ConsumerFactory<String, JobEvent> consumerFactory(KafkaProperties kafka,
            KafkaConnectionDetails connection, String groupId, ProjectionProperties properties, MeterRegistry meters) {
        Counter skippedUnknown = Counter.builder("spool.events.skipped")
                .description("Events skipped because their CloudEvents type is unknown to this version")
                .tag("reason", "unknown_type")
                .tag("group", groupId)
                .register(meters);
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // facts are written in transactions: aborted ones must never reach a view
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // one poll is one batch for the writer: bounded, so that a batch stays well inside the store timeouts
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.consumer().maxBatch());
        // a new group must see every job from its acceptance on
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the same partitions of both topics go to the same consumer, so one job's records meet on one thread
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.consumer().sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) properties.consumer().sessionTimeout().toMillis() / 3);
        DefaultKafkaConsumerFactory<String, JobEvent> factory = new DefaultKafkaConsumerFactory<>(config,
                Topics.JOB_EVENTS::keyDeserializer,
                // The format of both topics (Topics.JOB_EVENTS's), with a count of the event types this version skips.
                () -> new ErrorHandlingDeserializer<>(new JobEventDeserializer(skippedUnknown::increment)));
        // Client metrics, consumer lag per topic and partition among them, tagged with the consumer's client id.
        factory.addListener(new MicrometerConsumerListener<>(meters));
        return factory;
    }

    private static ConcurrentKafkaListenerContainerFactory<String, JobEvent> containerFactory(
            ConsumerFactory<String, JobEvent> consumerFactory, ProjectionProperties properties,
            GroupMembership membership) {
        ConcurrentKafkaListenerContainerFactory<String, JobEvent> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(properties.consumer().concurrency());
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(AckMode.BATCH);
        factory.setCommonErrorHandler(new ProjectionErrorHandler(properties.retry()));
        factory.setContainerCustomizer(membership::watch);
        return factory;
    }
}
