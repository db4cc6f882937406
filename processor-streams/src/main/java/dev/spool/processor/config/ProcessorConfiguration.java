package dev.spool.processor.config;

import dev.spool.processor.extraction.DocumentSource;
import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.extraction.TextStore;
import dev.spool.processor.extraction.TikaTextExtractor;
import dev.spool.processor.progress.KafkaProgressSink;
import dev.spool.processor.streams.StreamsLifecycle;
import dev.spool.processor.streams.StreamsSettings;
import dev.spool.processor.topology.JobTopology;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.TopicProvisioner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wires the job processing, its Kafka Streams lifecycle, the progress producer and the topics it needs. */
@Configuration(proxyBeanMethods = false)
public class ProcessorConfiguration {

    @Bean
    JobProcessing jobProcessing(DocumentSource documents, TextStore texts, KafkaProgressSink progress,
            ProcessorProperties processor) {
        return new JobProcessing(documents, new TikaTextExtractor(processor.maxCharacters()), texts, progress,
                Path.of(processor.workDir()), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    KafkaProgressSink kafkaProgressSink(KafkaProperties kafka) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "spool-processor-progress");
        return new KafkaProgressSink(
                new KafkaProducer<>(config, new StringSerializer(), new JobEventSerializer(JobTopology.SOURCE)));
    }

    @Bean
    StreamsLifecycle streamsLifecycle(JobProcessing processing, ProcessorProperties processor, KafkaProperties kafka,
            @Value("${spool.kafka.replication-factor:1}") int replicationFactor) {
        return new StreamsLifecycle(() -> JobTopology.build(processing),
                StreamsSettings.of(processor, String.join(",", kafka.getBootstrapServers()), replicationFactor),
                processor.closeTimeout());
    }

    /**
     * Created while the context starts, before any lifecycle bean: every topic exists before Streams subscribes,
     * and an existing topic that differs from the contract is reported, never altered.
     */
    @Bean
    ProvisionedTopics processorTopics(KafkaAdmin kafkaAdmin,
            @Value("${spool.kafka.replication-factor:1}") short replicationFactor) {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            return TopicProvisioner.ensure(admin, ProcessorTopics.specs(), replicationFactor);
        }
    }
}
