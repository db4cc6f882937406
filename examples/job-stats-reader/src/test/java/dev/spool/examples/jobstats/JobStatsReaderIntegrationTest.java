package dev.spool.examples.jobstats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reader that docs/analytics.md shows, against a real broker: windows published as the processor publishes them
 * (its topic, its serializer, in transactions) are read back with their counts and percentile, and a window whose
 * transaction was aborted is never seen.
 */
class JobStatsReaderIntegrationTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

    @BeforeAll
    static void topic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            TopicProvisioner.ensure(admin, List.of(Topics.ANALYTICS_JOB_STATS.spec()), (short) 1);
        }
    }

    @Test
    void readsTheCommittedWindowsThatTheProcessorPublishes() {
        assertThat(JobStatsReader.TOPIC).isEqualTo(Topics.ANALYTICS_JOB_STATS.name());
        String first = START.toString();
        JobStats completed = window(first, 3, Map.of("completed", 2L, "failed", 1L), 922L);
        JobStats aborted = window(Instant.parse(first).plusSeconds(20).toString(), 9, Map.of("completed", 9L), 5L);
        JobStats quiet = window(Instant.parse(first).plusSeconds(40).toString(), 1, Map.of("failed", 1L), null);

        try (KafkaProducer<String, JobStats> producer = producer()) {
            producer.initTransactions();
            publish(producer, completed, true);
            publish(producer, aborted, false);
            publish(producer, quiet, true);
        }

        List<JobStatsReader.Window> read = new ArrayList<>();
        try (JobStatsReader reader = new JobStatsReader(SharedInfra.get().kafkaBootstrapServers(),
                "job-stats-reader-test-" + UUID.randomUUID())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        read.addAll(reader.poll(Duration.ofMillis(200)));
                        return read.stream().anyMatch(window -> window.windowStart().equals(quiet.windowStart()
                                .toString()));
                    });
        }

        assertThat(read).containsExactly(
                new JobStatsReader.Window(first, 3, Map.of("completed", 2L, "failed", 1L), 922L),
                new JobStatsReader.Window(quiet.windowStart().toString(), 1, Map.of("failed", 1L), null));
    }

    private static JobStats window(String start, long jobs, Map<String, Long> byOutcome, Long p95) {
        Instant windowStart = Instant.parse(start);
        long completed = byOutcome.getOrDefault("completed", 0L);
        return new JobStats(windowStart, windowStart.plusSeconds(20), jobs, byOutcome, Map.of("text/plain", jobs),
                Map.of("normal", jobs), 100 * jobs,
                new JobStats.Latency(completed, p95 == null ? null : p95 / 2, p95, p95));
    }

    private static void publish(KafkaProducer<String, JobStats> producer, JobStats window, boolean commit) {
        producer.beginTransaction();
        producer.send(Topics.ANALYTICS_JOB_STATS.record(window.windowStart().toString(), window));
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static KafkaProducer<String, JobStats> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "job-stats-reader-test-" + UUID.randomUUID()),
                Topics.ANALYTICS_JOB_STATS.keySerializer(),
                Topics.ANALYTICS_JOB_STATS.valueSerializer("/spool/processor-streams"));
    }
}
