package dev.spool.projection.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.infra.SharedInfra;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.mongo.ViewChange;
import dev.spool.projection.state.JobStatePublisher;
import dev.spool.schemas.envelope.JobViewDeserializer;
import dev.spool.schemas.envelope.JobViewSerializer;
import dev.spool.schemas.topic.TopicProvisioner;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
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
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable writer against a real MongoDB and broker, and against MongoDB unreachable. */
class ViewWriterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static MongoClient mongo;
    private static MongoClient deadMongo;
    private static JobStatePublisher state;

    private final SampleEvents job = new SampleEvents("writer-" + UUID.randomUUID());
    private final DurableWriteHealth health = new DurableWriteHealth();

    @BeforeAll
    static void connect() throws IOException {
        mongo = MongoClients.create(SharedInfra.get().mongoUri());
        deadMongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort()))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build());
        String bootstrap = SharedInfra.get().kafkaBootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicProvisioner.ensure(admin, List.of(Topics.jobState()), (short) 1);
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
        return new ViewWriter(new JobViewFold(), new JobViewRepository(mongoClient), state, health, TIMEOUT);
    }

    @Test
    void writesMongoThenPublishesTheViewToJobState() {
        ViewWriter writer = writer(mongo);

        ViewChange accepted = writer.write(job.accepted(0));
        ViewChange started = writer.write(job.started(1, 1));
        ViewChange repeated = writer.write(job.started(1, 1));

        assertThat(started.after().status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(repeated.changed()).isFalse();
        assertThat(new JobViewRepository(mongo).find(job.jobId()).block()).isEqualTo(started.after());
        assertThat(health.isFailing()).isFalse();
        assertThat(publishedStates(3)).containsExactly(accepted.after(), started.after(), started.after());
    }

    @Test
    void aMongoOutageFailsTheWriteMarksItFailingAndPublishesNothing() {
        assertThatThrownBy(() -> writer(deadMongo).write(job.accepted(0))).isInstanceOf(RuntimeException.class);
        assertThat(health.isFailing()).isTrue();

        ViewChange written = writer(mongo).write(job.accepted(0));

        assertThat(health.isFailing()).isFalse();
        assertThat(publishedStates(1)).containsExactly(written.after());
    }

    /** This job's records on {@code spool.job-state}, once {@code expected} of them arrived. */
    private List<JobView> publishedStates(int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "job-state-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JobView> views = new ArrayList<>();
        try (KafkaConsumer<String, JobView> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new JobViewDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_STATE));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (views.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobView> record : consumer.poll(Duration.ofMillis(200))) {
                    if (job.jobId().equals(record.key())) {
                        views.add(record.value());
                    }
                }
            }
            // anything beyond what was expected would show up in the assertion
            consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                if (job.jobId().equals(record.key())) {
                    views.add(record.value());
                }
            });
        }
        return views;
    }
}
