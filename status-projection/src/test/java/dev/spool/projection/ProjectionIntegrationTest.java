package dev.spool.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.health.JobStatusGauges;
import dev.spool.projection.health.ListenersHealthIndicator;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

/**
 * The whole projection against a real broker, MongoDB and Redis: facts published transactionally, signals with a
 * plain producer, both through the real serializer, and a poison pill in front of them.
 */
@SpringBootTest(classes = ProjectionApplication.class)
class ProjectionIntegrationTest {

    private static final String GROUP = "projection-it-" + UUID.randomUUID();
    private static final String LIVE_GROUP = "projection-live-it-" + UUID.randomUUID();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static JobEventsPublisher events;
    private static KafkaProducer<String, byte[]> raw;

    @Autowired
    private JobViewRepository repository;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @Autowired
    private MongoClient mongo;

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private JobStatusGauges jobStatusGauges;

    @Autowired
    private ListenersHealthIndicator listenersHealth;

    private final SampleEvents job = new SampleEvents("it-" + UUID.randomUUID());
    private final Map<TopicPartition, Long> published = new HashMap<>();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        SharedInfra.get().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spool.projection.consumer.group-id", () -> GROUP);
        registry.add("spool.projection.consumer.live-group-id", () -> LIVE_GROUP);
    }

    @BeforeAll
    static void producers() {
        events = new JobEventsPublisher(SharedInfra.get().kafkaBootstrapServers());
        raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducers() {
        events.close();
        raw.close();
    }

    @Test
    void projectsAJobIntoMongoAndRedisAndIgnoresARepeat() throws Exception {
        publishPoisonPills();
        publishLifecycle();

        await().atMost(DEADLINE).untilAsserted(() -> {
            JobView view = repository.find(job.jobId()).block();
            assertThat(view).isNotNull();
            assertThat(view.status()).isEqualTo(JobStatus.COMPLETED);
        });
        JobView completed = repository.find(job.jobId()).block();
        assertThat(completed.result()).isEqualTo(job.result());
        assertThat(completed.ownerId()).isEqualTo("user-1");
        assertThat(completed.progress()).isEqualTo(100);
        assertThat(completed.processingMillis()).isEqualTo(4000L);
        Document stored = storedDocument();
        assertThat(stored.getString(ViewStorage.FIELD_STATUS)).isEqualTo("completed");
        assertThat(stored.get(ViewStorage.FIELD_CREATED_AT)).isEqualTo(Date.from(SampleEvents.at(0)));
        assertThat(stored.get(ViewStorage.FIELD_VERSION)).isEqualTo(completed.version());
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(cached()).isEqualTo(completed));
        assertThat(redis.getExpire(ViewStorage.redisKey(job.jobId())).block()).isGreaterThan(Duration.ofHours(23));

        publishLifecycle();
        awaitConsumed(GROUP);
        awaitConsumed(LIVE_GROUP);

        assertThat(repository.find(job.jobId()).block()).isEqualTo(completed);
        assertThat(storedDocument().get(ViewStorage.FIELD_VERSION)).isEqualTo(completed.version());
        assertThat(cached()).isEqualTo(completed);
    }

    @Test
    void exportsJobsByStatusConsumerLagAndTheHealthOfEachListener() {
        // UP once every group's listeners hold their partitions, which may come after the context is started.
        Health listeners = await().atMost(DEADLINE).until(listenersHealth::health,
                health -> Status.UP.equals(health.getStatus()));
        assertThat(listeners.getDetails()).containsKeys("spool-projection", "spool-projection-live",
                "spool-projection-dlq");

        jobStatusGauges.refresh().block(DEADLINE);
        double failedBefore = meters.get("spool.jobs").tag("status", "failed").gauge().value();
        Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION)
                .insertOne(new Document("_id", "gauge-" + UUID.randomUUID())
                        .append(ViewStorage.FIELD_STATUS, "failed"))).block(DEADLINE);
        jobStatusGauges.refresh().block(DEADLINE);
        assertThat(meters.get("spool.jobs").tag("status", "failed").gauge().value()).isEqualTo(failedBefore + 1);

        // Per-partition lag appears with the binder's next refresh (a minute); the client's maximum lag at once.
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(meters.find("kafka.consumer.fetch.manager.records.lag.max")
                .meters()).isNotEmpty());
    }

    /** A known type with a broken body, and a type from the future, both on the job's own partition. */
    private void publishPoisonPills() throws ExecutionException, InterruptedException {
        ProducerRecord<String, byte[]> malformed = new ProducerRecord<>(Topics.JOB_EVENTS.name(), job.jobId(),
                "{\"jobId\": ".getBytes(StandardCharsets.UTF_8));
        malformed.headers().add(CloudEventHeaders.TYPE, "dev.spool.job.accepted.v1".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> unknown = new ProducerRecord<>(Topics.JOB_EVENTS.name(), job.jobId(),
                "{\"jobId\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        unknown.headers().add(CloudEventHeaders.TYPE, "dev.spool.job.teleported.v1".getBytes(StandardCharsets.UTF_8));
        raw.send(malformed).get();
        raw.send(unknown).get();
    }

    private void publishLifecycle() throws ExecutionException, InterruptedException {
        remember(events.fact(job.accepted(0)));
        remember(events.signal(job.started(1, 1)));
        remember(events.signal(job.progress(1, Stage.EXTRACTING, 60, 3)));
        remember(events.fact(job.completed(1, 1, 5)));
    }

    private void remember(RecordMetadata metadata) {
        published.merge(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset(), Math::max);
    }

    /** Waits until one of the projection's groups has committed past everything this test published. */
    private void awaitConsumed(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            await().atMost(DEADLINE).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                published.forEach((partition, offset) -> {
                    assertThat(committed.get(partition)).as("committed offset of %s", partition).isNotNull();
                    assertThat(committed.get(partition).offset()).as("committed offset of %s", partition)
                            .isGreaterThan(offset);
                });
            });
        }
    }

    private Document storedDocument() {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION)
                .find(new Document("_id", job.jobId())).first()).block();
    }

    private JobView cached() {
        String json = redis.opsForValue().get(ViewStorage.redisKey(job.jobId())).block();
        return json == null ? null : EventJson.mapper().readValue(json, JobView.class);
    }
}
