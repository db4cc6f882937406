package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.processor.health.StreamsHealthIndicator;
import dev.spool.processor.storage.StorageConfiguration;
import dev.spool.processor.storage.StorageProperties;
import dev.spool.processor.streams.StreamsLifecycle;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.ProvisionedTopics;
import dev.spool.schemas.topic.Topic;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Wiring against the real embedded broker; S3 is not contacted while the context starts. */
class ProcessorConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withUserConfiguration(Properties.class, StorageConfiguration.class, ProcessorConfiguration.class)
            .withPropertyValues(
                    "spring.kafka.bootstrap-servers=" + SharedInfra.get().kafkaBootstrapServers(),
                    "spool.kafka.replication-factor=1",
                    "spool.storage.endpoint=http://127.0.0.1:1",
                    "spool.storage.access-key=key",
                    "spool.storage.secret-key=secret",
                    "spool.processor.close-timeout=5s");

    @Test
    void bindsDefaults() {
        runner.run(context -> {
            ProcessorProperties processor = context.getBean(ProcessorProperties.class);
            assertThat(processor.applicationId()).isEqualTo("spool-processor");
            assertThat(processor.stateDir())
                    .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "spool-streams").toString());
            assertThat(processor.capacity().of(Priority.HIGH)).isEqualTo(new ProcessorProperties.Capacity(1, 32, 1));
            assertThat(processor.capacity().of(Priority.LOW)).isEqualTo(new ProcessorProperties.Capacity(1, 32, 1));
            assertThat(processor.inFlight().perTask()).isEqualTo(64);
            assertThat(processor.extraction().inProcessTextMax().toBytes()).isEqualTo(1024 * 1024);
            assertThat(processor.extraction().image().keepGps()).isTrue();
            assertThat(processor.retry().retries()).isEqualTo(3);
            assertThat(processor.retry().base()).isEqualTo(Duration.ofSeconds(1));
            assertThat(processor.retry().cap()).isEqualTo(Duration.ofSeconds(60));
            assertThat(processor.commitInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(processor.extraction().maxCharacters()).isEqualTo(10_000_000);
            assertThat(processor.extraction().timeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(processor.extraction().workerHeap()).isEqualTo("512m");
            StorageProperties storage = context.getBean(StorageProperties.class);
            assertThat(storage.region()).isEqualTo("us-east-1");
            assertThat(storage.pathStyle()).isTrue();
            assertThat(storage.uploadBucket()).isEqualTo("spool-uploads");
            assertThat(storage.textBucket()).isEqualTo("spool-text");
        });
    }

    @Test
    void ensuresEveryTopicItTouchesBeforeStreamsStart() {
        runner.run(context -> {
            assertThat(context.getBean(ProvisionedTopics.class).drifts()).isEmpty();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfra.get().kafkaBootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).containsAll(Stream.of(Topics.JOBS_HIGH, Topics.JOBS_NORMAL,
                        Topics.JOBS_LOW, Topics.JOB_EVENTS, Topics.JOB_PROGRESS, Topics.retry(1), Topics.DLQ,
                        Topics.ANALYTICS_JOB_STATS).map(Topic::name).toList());
            }
            StreamsLifecycle streams = context.getBean(StreamsLifecycle.class);
            assertThat(streams.isRunning()).isTrue();
            assertThat(streams.names()).containsExactly("high", "normal", "low", "retry", "analytics");
            StreamsHealthIndicator health = new StreamsHealthIndicator(streams);
            // Ready means every application has been RUNNING: no UP during the first rebalance.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                boolean up = health.health().getStatus().equals(Status.UP);
                assertThat(!up || streams.names().stream().allMatch(streams::hasRun))
                        .as("UP only after every application was RUNNING").isTrue();
                return up;
            });
            streams.stop();
            assertThat(health.health().getStatus()).as("stopped applications are not ready").isEqualTo(Status.DOWN);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ProcessorProperties.class, StorageProperties.class})
    static class Properties {
    }
}
