package dev.spool.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.net.FreePorts;
import dev.spool.testsupport.SharedInfra;
import dev.spool.infra.mongo.MongoWireServer;
import dev.spool.infra.redis.RedisProcess;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.write.DurableWriteHealth;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

/**
 * The projection while one of its stores is down, on a Redis and a Mongo-wire server of the test's own that it stops
 * and starts again on the same ports and data: each store's writer waits for its own store without holding back the
 * other, retries its batches whole, loses no event, and catches up once the store is back, with no restart.
 */
@SpringBootTest(classes = ProjectionApplication.class, properties = {
    "spool.projection.mongo.timeout=1s",
    "spool.projection.redis.timeout=500ms",
    "spool.projection.retry.initial-interval=100ms",
    "spool.projection.retry.max-interval=1s",
    "spring.mongodb.uri=mongodb://127.0.0.1:${test.mongo-port}/?serverSelectionTimeoutMS=500&connectTimeoutMS=500"
})
class ProjectionOutageIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Path DATA = tempDir();
    private static final int REDIS_PORT = FreePorts.resolve(0);
    private static final int MONGO_PORT = FreePorts.resolve(0);
    private static RedisProcess redisServer = RedisProcess.start(DATA.resolve("redis"), REDIS_PORT, true);
    private static MongoWireServer mongoServer = MongoWireServer.start(DATA.resolve("mongo/jobs"), MONGO_PORT);
    private static JobEventsPublisher events;

    private final JobViewFold fold = new JobViewFold();

    @Autowired
    private JobViewRepository mongoViews;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @Autowired
    private DurableWriteHealth mongoHealth;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> SharedInfra.get().kafkaBootstrapServers());
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
        registry.add("test.mongo-port", () -> MONGO_PORT);
        registry.add("spool.projection.consumer.group-id", () -> "outage-" + UUID.randomUUID());
        registry.add("spool.projection.consumer.live-group-id", () -> "outage-live-" + UUID.randomUUID());
    }

    @BeforeAll
    static void publisher() {
        events = new JobEventsPublisher(SharedInfra.get().kafkaBootstrapServers());
    }

    @AfterAll
    static void stopServers() throws IOException {
        events.close();
        redisServer.close();
        mongoServer.close();
        try (Stream<Path> files = Files.walk(DATA)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("projection-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mongoDownKeepsRedisCurrentForSevenDaysAndMongoCatchesUpWhenItReturns() throws Exception {
        mongoServer.close();
        SampleEvents first = new SampleEvents("mongo-down-" + UUID.randomUUID());
        events.publish(first.accepted(0));
        await().atMost(DEADLINE).until(mongoHealth::isFailing);

        // several jobs' lifecycles, step by step across the jobs, so that the retried batches hold several of each
        List<SampleEvents> jobs = IntStream.range(0, 5).mapToObj(i -> new SampleEvents("mongo-down-" + UUID.randomUUID()))
                .toList();
        for (int step = 0; step < lifecycle(first).size(); step++) {
            for (SampleEvents job : jobs) {
                events.publish(lifecycle(job).get(step));
            }
        }

        for (SampleEvents job : jobs) {
            JobView expected = foldAll(lifecycle(job));
            await().atMost(DEADLINE).untilAsserted(() -> assertSameOutcome(liveView(job.jobId()), expected));
            assertThat(feedKinds(job.jobId())).first().isEqualTo("status");
            assertThat(feedKinds(job.jobId())).last().isEqualTo("completed");
            assertThat(redis.getExpire(ViewStorage.redisKey(job.jobId())).block()).isGreaterThan(Duration.ofDays(6));
            assertThat(redis.getExpire(ViewStorage.feedKey(job.jobId())).block()).isGreaterThan(Duration.ofDays(6));
        }

        mongoServer = MongoWireServer.start(DATA.resolve("mongo/jobs"), MONGO_PORT);

        await().atMost(DEADLINE).untilAsserted(() -> {
            for (SampleEvents job : jobs) {
                assertSameOutcome(mongoViews.find(job.jobId()).block(), foldAll(lifecycle(job)));
            }
            assertSameOutcome(mongoViews.find(first.jobId()).block(), fold.apply(null, first.accepted(0)));
        });
        await().atMost(DEADLINE).until(() -> !mongoHealth.isFailing());
    }

    @Test
    void redisDownKeepsMongoCurrentAndTheLiveViewAndFeedCatchUpWhenItReturns() throws Exception {
        redisServer.close();
        SampleEvents job = new SampleEvents("redis-down-" + UUID.randomUUID());
        List<JobEvent> lifecycle = lifecycle(job);
        events.publish(lifecycle.toArray(JobEvent[]::new));

        JobView expected = foldAll(lifecycle);
        await().atMost(DEADLINE).untilAsserted(() -> assertSameOutcome(mongoViews.find(job.jobId()).block(), expected));

        redisServer = RedisProcess.start(DATA.resolve("redis"), REDIS_PORT, true);

        await().atMost(DEADLINE).untilAsserted(() -> assertSameOutcome(liveView(job.jobId()), expected));
        assertThat(feedKinds(job.jobId())).last().isEqualTo("completed");
        assertThat(redis.getExpire(ViewStorage.redisKey(job.jobId())).block())
                .isBetween(Duration.ofHours(23), Duration.ofHours(24));
    }

    /**
     * Each consumer may read a job's signal and fact topics in a different interleaving, so the number of changes
     * (the version) and the time of the last applied one may differ; everything else must not.
     */
    private static void assertSameOutcome(JobView actual, JobView expected) {
        assertThat(actual).isNotNull();
        assertThat(actual).usingRecursiveComparison().ignoringFields("version", "updatedAt").isEqualTo(expected);
    }

    private static List<JobEvent> lifecycle(SampleEvents job) {
        return List.of(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 50, 2),
                job.completed(1, 1, 5));
    }

    private JobView foldAll(List<JobEvent> lifecycle) {
        JobView view = null;
        for (JobEvent event : lifecycle) {
            view = fold.apply(view, event);
        }
        return view;
    }

    private JobView liveView(String jobId) {
        String json = redis.opsForValue().get(ViewStorage.redisKey(jobId)).onErrorResume(e -> Mono.empty())
                .block(Duration.ofSeconds(2));
        return json == null ? null : EventJson.mapper().readValue(json, JobView.class);
    }

    private List<Object> feedKinds(String jobId) {
        return redis.opsForStream().range(ViewStorage.feedKey(jobId), Range.unbounded())
                .map(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .collectList()
                .block(Duration.ofSeconds(2));
    }
}
