package dev.spool.projection.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.mongo.ViewChange;
import dev.spool.projection.state.JobStatePublisher;
import dev.spool.schemas.envelope.JobViewSerializer;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobView;
import dev.spool.testsupport.SharedInfra;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable writer, a batch at a time, against a real MongoDB and broker, and against MongoDB unreachable. */
class ViewWriterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static MongoClient mongo;
    private static MongoClient deadMongo;
    private static JobStatePublisher state;
    private static JobViewRepository repository;

    private final SampleEvents job = new SampleEvents("writer-" + UUID.randomUUID());
    private final SampleEvents other = new SampleEvents("writer-other-" + UUID.randomUUID());
    private final JobViewFold fold = new JobViewFold();
    private final DurableWriteHealth health = new DurableWriteHealth();

    @BeforeAll
    static void connect() throws IOException {
        mongo = MongoClients.create(SharedInfra.get().mongoUri());
        repository = new JobViewRepository(mongo);
        deadMongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build());
        String bootstrap = SharedInfra.get().kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.ensure(admin, List.of(Topics.JOB_STATE.spec()), (short) 1);
        }
        state = new JobStatePublisher(new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new JobViewSerializer()), TIMEOUT);
    }

    @AfterAll
    static void disconnect() {
        mongo.close();
        deadMongo.close();
        state.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ViewWriter writer(MongoClient mongoClient) {
        return new ViewWriter(fold, new JobViewRepository(mongoClient), state, health, TIMEOUT);
    }

    @Test
    void writesABatchWithOneViewPerJobAsFoldedEventByEventAndPublishesEachJobsViewOnce() {
        ViewWriter writer = writer(mongo);
        List<JobEvent> batch = List.of(job.accepted(0), other.accepted(0), job.started(1, 1), other.started(1, 1),
                job.started(1, 1), job.progress(1, Stage.EXTRACTING, 40, 2), other.completed(1, 1, 3));

        Map<String, ViewChange> changes = writer.write(batch);

        JobView jobView = foldAll(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 40, 2));
        JobView otherView = foldAll(other.accepted(0), other.started(1, 1), other.completed(1, 1, 3));
        assertThat(changes).containsOnlyKeys(job.jobId(), other.jobId());
        assertThat(changes.get(job.jobId()).after()).isEqualTo(jobView);
        assertThat(changes.get(other.jobId()).after()).isEqualTo(otherView);
        assertThat(repository.find(job.jobId()).block()).isEqualTo(jobView);
        assertThat(repository.find(other.jobId()).block()).isEqualTo(otherView);
        assertThat(health.isFailing()).isFalse();
        assertThat(publishedStates(job.jobId(), 1)).containsExactly(jobView);
        assertThat(publishedStates(other.jobId(), 1)).containsExactly(otherView);
    }

    @Test
    void aRedeliveredBatchChangesNothingAndPublishesTheSameViewsAgain() {
        ViewWriter writer = writer(mongo);
        List<JobEvent> batch = List.of(job.accepted(0), other.accepted(0), job.started(1, 1), other.started(1, 1));
        JobView written = writer.write(batch).get(job.jobId()).after();
        JobView otherWritten = repository.find(other.jobId()).block();

        Map<String, ViewChange> again = writer.write(batch);

        assertThat(again.values()).noneMatch(ViewChange::changed);
        assertThat(repository.find(job.jobId()).block()).isEqualTo(written);
        assertThat(repository.find(other.jobId()).block()).isEqualTo(otherWritten);
        assertThat(publishedStates(job.jobId(), 2)).containsExactly(written, written);
    }

    @Test
    void aMongoOutageFailsTheWholeBatchMarksItFailingAndPublishesNothingUntilTheBatchIsWritten() {
        List<JobEvent> batch = List.of(job.accepted(0), other.accepted(0), job.started(1, 1));
        assertThatThrownBy(() -> writer(deadMongo).write(batch)).isInstanceOf(RuntimeException.class);
        assertThat(health.isFailing()).isTrue();

        Map<String, ViewChange> written = writer(mongo).write(batch);

        assertThat(health.isFailing()).isFalse();
        assertThat(repository.find(job.jobId()).block()).isEqualTo(foldAll(job.accepted(0), job.started(1, 1)));
        assertThat(repository.find(other.jobId()).block()).isEqualTo(foldAll(other.accepted(0)));
        assertThat(publishedStates(job.jobId(), 1)).containsExactly(written.get(job.jobId()).after());
        assertThat(publishedStates(other.jobId(), 1)).containsExactly(written.get(other.jobId()).after());
    }

    @Test
    void aBatchWithoutEventsWritesAndPublishesNothing() {
        assertThat(writer(deadMongo).write(List.of())).isEmpty();
        assertThat(health.isFailing()).isFalse();
    }

    private JobView foldAll(JobEvent... events) {
        return fold.applyAll(null, List.of(events));
    }

    /** A job's records on {@code spool.job-state}, once {@code expected} of them arrived. */
    private List<JobView> publishedStates(String jobId, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "job-state-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JobView> views = new ArrayList<>();
        try (KafkaConsumer<String, JobView> consumer =
                new KafkaConsumer<>(config, Topics.JOB_STATE.keyDeserializer(),
                        Topics.JOB_STATE.valueDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_STATE.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (views.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobView> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        views.add(record.value());
                    }
                }
            }
            // anything beyond what was expected would show up in the assertion
            consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                if (jobId.equals(record.key())) {
                    views.add(record.value());
                }
            });
        }
        return views;
    }
}
