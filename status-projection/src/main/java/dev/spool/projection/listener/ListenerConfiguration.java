package dev.spool.projection.listener;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.config.TopicProperties;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.TopicSpec;
import dev.spool.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/**
 * The Kafka side of the projection: the two topics it reads, and a consumer that sees only committed records,
 * hands each one to the listener in order and commits its offset only after the listener returned.
 */
@Configuration(proxyBeanMethods = false)
class ListenerConfiguration {

    @Bean
    NewTopic jobEventsTopic(TopicProperties topics) {
        return newTopic(Topics.jobEvents(), topics);
    }

    @Bean
    NewTopic jobProgressTopic(TopicProperties topics) {
        TopicSpec progress = Topics.processorTopics(Topics.DEFAULT_RETRIES).stream()
                .filter(spec -> spec.name().equals(Topics.JOB_PROGRESS))
                .findFirst()
                .orElseThrow();
        return newTopic(progress, topics);
    }

    private static NewTopic newTopic(TopicSpec spec, TopicProperties topics) {
        return TopicBuilder.name(spec.name())
                .partitions(spec.partitions())
                .replicas(topics.replicationFactor())
                .configs(spec.configs())
                .build();
    }

    @Bean
    ConsumerFactory<String, JobEvent> projectionConsumerFactory(KafkaProperties kafka, KafkaConnectionDetails connection,
            ProjectionProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumer().groupId());
        // facts are written in transactions: aborted ones must never reach a view
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a new group must see every job from its acceptance on
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the same partitions of both topics go to the same consumer, so one job's records meet on one thread
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        return new DefaultKafkaConsumerFactory<>(config, StringDeserializer::new,
                () -> new ErrorHandlingDeserializer<>(new JobEventDeserializer()));
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, JobEvent> kafkaListenerContainerFactory(
            ConsumerFactory<String, JobEvent> projectionConsumerFactory, ProjectionProperties properties) {
        ConcurrentKafkaListenerContainerFactory<String, JobEvent> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(projectionConsumerFactory);
        factory.setConcurrency(properties.consumer().concurrency());
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.setCommonErrorHandler(new ProjectionErrorHandler(properties.retry()));
        return factory;
    }
}
