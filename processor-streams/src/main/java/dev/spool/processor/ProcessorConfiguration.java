package dev.spool.processor;

import dev.spool.processor.analytics.JobStatsTopology;
import dev.spool.processor.config.ProcessorProperties;
import dev.spool.processor.config.ProcessorTopics;
import dev.spool.processor.extraction.DocumentSource;
import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.extraction.TextStore;
import dev.spool.processor.metrics.JobMetrics;
import dev.spool.processor.progress.KafkaProgressSink;
import dev.spool.processor.retry.RetrySchedule;
import dev.spool.processor.streams.StreamsLifecycle;
import dev.spool.processor.streams.StreamsSettings;
import dev.spool.processor.topology.DelayTopology;
import dev.spool.processor.topology.InFlightLimits;
import dev.spool.processor.topology.WorkTopology;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Wires the job processing, the Kafka Streams applications (one per tier, one for the delay stage), each tier's job
 * pool and extraction workers, the progress producer and the topics they need.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessorConfiguration {

    /** The delay stage reads many small records; it need not take them one by one like the tiers. */
    private static final int DELAY_POLL_RECORDS = 500;

    @Bean(destroyMethod = "close")
    TierExtractors tierExtractors(ProcessorProperties processor) {
        TierExtractors extractors = new TierExtractors(processor.extraction(), processor.capacity());
        extractors.prestart();
        return extractors;
    }

    @Bean(destroyMethod = "close")
    TierJobPools tierJobPools(ProcessorProperties processor) {
        return new TierJobPools(processor.capacity());
    }

    @Bean
    JobMetrics jobMetrics(MeterRegistry meters) {
        return new JobMetrics(meters);
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
                new KafkaProducer<>(config, Topics.JOB_PROGRESS.keySerializer(),
                        Topics.JOB_PROGRESS.valueSerializer(WorkTopology.SOURCE)));
    }

    @Bean
    StreamsLifecycle streamsLifecycle(DocumentSource documents, TextStore texts, KafkaProgressSink progress,
            TierExtractors extractors, TierJobPools jobPools, JobMetrics metrics, ProcessorProperties processor, KafkaProperties kafka,
            MeterRegistry meters, @Value("${spool.kafka.replication-factor:1}") int replicationFactor) {
        String bootstrap = String.join(",", kafka.getBootstrapServers());
        ProcessorProperties.Retry retry = processor.retry();
        RetrySchedule schedule = new RetrySchedule(retry.retries(), retry.base(), retry.factor(), retry.cap());
        Clock clock = Clock.systemUTC();
        InFlightLimits limits = new InFlightLimits(processor.inFlight().perTask(), processor.inFlight().drainInterval());
        Map<String, StreamsLifecycle.Application> applications = new LinkedHashMap<>();
        for (Priority tier : Priority.values()) {
            JobProcessing processing = new JobProcessing(documents, extractors.plainText(), extractors.of(tier), texts,
                    progress, Path.of(processor.workDir()), clock);
            applications.put(tier.wireName(), new StreamsLifecycle.Application(
                    () -> WorkTopology.build(tier, processing, jobPools.of(tier), limits, schedule,
                            () -> ThreadLocalRandom.current().nextDouble(), clock, metrics),
                    StreamsSettings.forTier(processor, tier, bootstrap, replicationFactor)));
        }
        Properties delay = StreamsSettings.of(processor, "retry", 1, bootstrap, replicationFactor);
        delay.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), DELAY_POLL_RECORDS);
        applications.put("retry", new StreamsLifecycle.Application(
                () -> DelayTopology.build(retry.retries(), retry.releaseInterval(), clock), delay));
        ProcessorProperties.Analytics analytics = processor.analytics();
        if (analytics.enabled()) {
            applications.put("analytics", new StreamsLifecycle.Application(
                    () -> JobStatsTopology.build(analytics.window(), analytics.grace()),
                    StreamsSettings.of(processor, "analytics", 1, bootstrap, replicationFactor)));
        }
        return new StreamsLifecycle(applications, processor.closeTimeout(), meters);
    }

    /**
     * Created while the context starts, before any lifecycle bean: every topic exists before Streams subscribes,
     * and an existing topic that differs from the contract is reported, never altered.
     */
    @Bean
    ProvisionedTopics processorTopics(KafkaAdmin kafkaAdmin, ProcessorProperties processor,
            @Value("${spool.kafka.replication-factor:1}") short replicationFactor) {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            return TopicProvisioner.ensure(admin, ProcessorTopics.specs(processor.retry().retries()), replicationFactor);
        }
    }
}
