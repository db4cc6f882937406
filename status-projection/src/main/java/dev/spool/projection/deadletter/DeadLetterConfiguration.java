package dev.spool.projection.deadletter;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.projection.config.ProjectionProperties;
import dev.spool.projection.health.GroupMembership;
import dev.spool.projection.listener.ProjectionErrorHandler;
import dev.spool.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

/** The dead-letter index: its MongoDB collection and the consumer group that fills it from the topic. */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

    static final String FACTORY = "deadLetterListenerContainerFactory";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterConfiguration.class);

    @Bean
    DeadLetterIndex deadLetterIndex(MongoClient mongo) {
        return new DeadLetterIndex(mongo);
    }

    @Bean
    SmartInitializingSingleton deadLetterIndexes(DeadLetterIndex index, ProjectionProperties properties) {
        return () -> {
            index.createIndexes().block(properties.mongo().timeout());
            LOG.info("dead-letter index is in place");
        };
    }

    @Bean
    DeadLetterListener deadLetterListener(DeadLetterIndex index, ProjectionProperties properties) {
        return new DeadLetterListener(index, properties.mongo().timeout());
    }

    @Bean(FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> deadLetterListenerContainerFactory(KafkaProperties kafka,
            KafkaConnectionDetails connection, ProjectionProperties properties, GroupMembership membership,
            MeterRegistry meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getConsumer().getBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumer().deadLetterGroupId());
        // the processor writes dead letters in its transactions: an aborted one never happened
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.consumer().sessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) properties.consumer().sessionTimeout().toMillis() / 3);
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        DefaultKafkaConsumerFactory<String, byte[]> consumers = new DefaultKafkaConsumerFactory<>(config,
                Topics.DLQ.keyDeserializer(), Topics.DLQ.valueDeserializer());
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        factory.setConsumerFactory(consumers);
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.setCommonErrorHandler(new ProjectionErrorHandler(properties.retry()));
        factory.setContainerCustomizer(membership::watch);
        return factory;
    }
}
