package dev.spool.ingest.servicelevel;

import dev.spool.ingest.publish.PublishConfiguration;
import dev.spool.schemas.servicelevel.ServiceLevelSetting;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The service level's parts: this instance's copy, the follower that keeps it current from
 * {@code spool.service-level}, the producer that changes it, the filter that applies it to uploads, and the
 * {@code spool.service.level} gauge (0 full, 1 degraded, 2 maintenance).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceLevelProperties.class)
public class ServiceLevelConfiguration {

    /** The gauge of the level in force on this instance. */
    public static final String GAUGE = "spool.service.level";

    @Bean
    ServiceLevelState serviceLevelState(MeterRegistry meters) {
        ServiceLevelState state = new ServiceLevelState();
        Gauge.builder(GAUGE, state, levels -> levels.current().level().gaugeValue())
                .description("Service level in force on this instance: 0 full, 1 degraded, 2 maintenance")
                .register(meters);
        return state;
    }

    /** Follows the topic once the topics exist ({@code ingestTopics} creates it when missing). */
    @Bean
    ServiceLevelFollower serviceLevelFollower(KafkaProperties kafka, ServiceLevelState state,
            ServiceLevelProperties properties, ProvisionedTopics ingestTopics) {
        return new ServiceLevelFollower(consumerConfig(kafka.buildConsumerProperties()), state, properties.timeout());
    }

    /** A bean of its own so that the context closes its producer. */
    @Bean
    DefaultKafkaProducerFactory<String, ServiceLevelSetting> serviceLevelProducerFactory(KafkaProperties kafka,
            ServiceLevelProperties properties) {
        return producerFactory(kafka.buildProducerProperties(), properties.timeout());
    }

    @Bean
    ServiceLevels serviceLevels(ServiceLevelState state,
            DefaultKafkaProducerFactory<String, ServiceLevelSetting> serviceLevelProducerFactory,
            ServiceLevelProperties properties) {
        return new ServiceLevels(state, new KafkaTemplate<>(serviceLevelProducerFactory), properties.timeout());
    }

    @Bean
    ServiceLevelFilter serviceLevelFilter(ServiceLevels levels) {
        return new ServiceLevelFilter(levels);
    }

    /**
     * A reader of every record: no group (nothing to commit, and every instance reads the whole topic), from the
     * beginning, plain records only (the topic is written outside transactions).
     */
    static Map<String, Object> consumerConfig(Map<String, Object> base) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "spool-service-level-" + UUID.randomUUID().toString().substring(0, 8));
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return config;
    }

    /** A durable producer whose every wait is bounded by {@code timeout}, so that a change answers in time. */
    static DefaultKafkaProducerFactory<String, ServiceLevelSetting> producerFactory(Map<String, Object> base,
            Duration timeout) {
        Map<String, Object> config = new HashMap<>(base);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new DefaultKafkaProducerFactory<>(config, Topics.SERVICE_LEVEL.keySerializer(),
                Topics.SERVICE_LEVEL.valueSerializer(PublishConfiguration.EVENT_SOURCE));
    }
}
