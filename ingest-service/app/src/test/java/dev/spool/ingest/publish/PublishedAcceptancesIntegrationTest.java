package dev.spool.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whether an acceptance is on the job-events topic, asked of the real broker: committed, absent, or held in a
 * transaction that is still open (and decided once the broker aborts a dead producer's transaction).
 */
class PublishedAcceptancesIntegrationTest {

    private static final Duration ANSWER = Duration.ofSeconds(30);

    private final String bootstrap = SharedInfra.get().kafkaBootstrapServers();
    private final PublishedAcceptances acceptances = new PublishedAcceptances(
            Map.of("bootstrap.servers", bootstrap), Duration.ofSeconds(1));

    @BeforeAll
    static void jobEventsTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfra.get().kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.JOB_EVENTS.name(), Topics.JOB_EVENTS.spec().partitions(),
                    (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    void aCommittedAcceptanceIsFoundInThePartitionItsKeyMapsToAndOnlyFromBeforeItsTime() throws Exception {
        String jobId = UUID.randomUUID().toString();
        Instant before = Instant.now();
        try (KafkaProducer<String, JobEvent> producer = producer(Duration.ofMinutes(1))) {
            producer.initTransactions();
            producer.beginTransaction();
            RecordMetadata written = producer.send(Topics.JOB_EVENTS.record(jobId, accepted(jobId))).get();
            producer.commitTransaction();
            assertThat(PublishedAcceptances.partitionOf(jobId, Topics.JOB_EVENTS.spec().partitions()))
                    .isEqualTo(written.partition());
        }

        assertThat(acceptances.find(jobId, before).block(ANSWER)).isEqualTo(PublishedAcceptances.Answer.PUBLISHED);
        assertThat(acceptances.find(UUID.randomUUID().toString(), before).block(ANSWER))
                .isEqualTo(PublishedAcceptances.Answer.ABSENT);
        Instant wellAfter = Instant.now().plus(PublishedAcceptances.CLOCK_SKEW).plusSeconds(60);
        assertThat(acceptances.find(jobId, wellAfter).block(ANSWER)).isEqualTo(PublishedAcceptances.Answer.ABSENT);
    }

    @Test
    void anAcceptanceInAnOpenTransactionIsUndecidedUntilTheTransactionEnds() throws Exception {
        String aborted = UUID.randomUUID().toString();
        String committed = UUID.randomUUID().toString();
        Instant before = Instant.now();
        try (KafkaProducer<String, JobEvent> producer = producer(Duration.ofMinutes(1))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(Topics.JOB_EVENTS.record(aborted, accepted(aborted))).get();

            assertThat(acceptances.find(aborted, before).block(ANSWER)).isEqualTo(PublishedAcceptances.Answer.UNDECIDED);
            producer.abortTransaction();
            assertThat(acceptances.find(aborted, before).block(ANSWER)).isEqualTo(PublishedAcceptances.Answer.ABSENT);

            producer.beginTransaction();
            producer.send(Topics.JOB_EVENTS.record(committed, accepted(committed))).get();
            assertThat(acceptances.find(committed, before).block(ANSWER))
                    .isEqualTo(PublishedAcceptances.Answer.UNDECIDED);
            producer.commitTransaction();
            assertThat(acceptances.find(committed, before).block(ANSWER))
                    .isEqualTo(PublishedAcceptances.Answer.PUBLISHED);
        }
    }

    @Test
    void aDeadProducersTransactionIsAbortedByTheBrokerAfterItsTimeoutAndTheAnswerIsThenAbsent() throws Exception {
        String jobId = UUID.randomUUID().toString();
        Instant before = Instant.now();
        KafkaProducer<String, JobEvent> dead = producer(Duration.ofSeconds(2));
        dead.initTransactions();
        dead.beginTransaction();
        dead.send(Topics.JOB_EVENTS.record(jobId, accepted(jobId))).get();
        // a process that dies sends nothing more: the producer is dropped with its transaction open

        Awaitility.await().atMost(ANSWER).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(acceptances.find(jobId, before).block(ANSWER))
                        .isEqualTo(PublishedAcceptances.Answer.ABSENT));
        dead.close(Duration.ZERO);
    }

    private KafkaProducer<String, JobEvent> producer(Duration transactionTimeout) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "published-acceptances-test-" + UUID.randomUUID(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis()),
                Topics.JOB_EVENTS.keySerializer(), Topics.JOB_EVENTS.valueSerializer("/spool/test"));
    }

    private static JobAccepted accepted(String jobId) {
        return new JobAccepted(jobId, "owner-" + jobId, "notes.txt", 10, "00".repeat(32), "text/plain", "text/plain",
                Priority.NORMAL, "spool-uploads", "uploads/" + jobId, 1, Instant.now());
    }
}
