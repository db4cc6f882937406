package dev.spool.projection.state;

import dev.spool.projection.config.ProjectionProperties;
import dev.spool.schemas.topic.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An idempotent producer of job views, closed with the context. */
@Configuration(proxyBeanMethods = false)
class JobStateConfiguration {

    @Bean
    JobStatePublisher jobStatePublisher(KafkaProperties kafka, KafkaConnectionDetails connection,
            ProjectionProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.getProducer().getBootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "spool-projection-job-state");
        return new JobStatePublisher(new KafkaProducer<>(config, Topics.JOB_STATE.keySerializer(),
                Topics.JOB_STATE.valueSerializer("/spool/status-projection")),
                properties.jobState().timeout());
    }
}
