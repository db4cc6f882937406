package dev.spool.projection.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.testsupport.SharedInfra;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.write.DurableWriteHealth;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.LiveViewWrite;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The live writer, a batch at a time, against a real Redis and MongoDB, and against each of them unreachable. */
class LiveViewWriterTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration DEGRADED_TTL = Duration.ofDays(7);
    private static final LiveViewWriter.Settings SETTINGS =
            new LiveViewWriter.Settings(TTL, DEGRADED_TTL, Duration.ofSeconds(2), Duration.ofSeconds(2));

    private static MongoClient mongo;
    private static MongoClient deadMongo;
    private static LettuceConnectionFactory redisConnections;
    private static LettuceConnectionFactory deadRedisConnections;
    private static ReactiveStringRedisTemplate redis;

    private final JobViewFold fold = new JobViewFold();
    private final SampleEvents job = new SampleEvents("live-" + UUID.randomUUID());
    private final SampleEvents other = new SampleEvents("live-other-" + UUID.randomUUID());
    private final DurableWriteHealth health = new DurableWriteHealth();

    @BeforeAll
    static void connect() throws IOException {
        int closedPort = closedPort();
        mongo = MongoClients.create(SharedInfra.get().mongoUri());
        deadMongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build());
        redisConnections = connect(SharedInfra.get().redisHost(), SharedInfra.get().redisPort());
        deadRedisConnections = connect("127.0.0.1", closedPort);
        redis = new ReactiveStringRedisTemplate(redisConnections);
    }

    @AfterAll
    static void disconnect() {
        mongo.close();
        deadMongo.close();
        redisConnections.destroy();
        deadRedisConnections.destroy();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static LettuceConnectionFactory connect(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private LiveViewWriter writer(MongoClient mongoClient, LettuceConnectionFactory redisConnections) {
        return new LiveViewWriter(fold, new LiveViewStore(new ReactiveStringRedisTemplate(redisConnections)),
                new JobViewRepository(mongoClient), health, SETTINGS);
    }

    @Test
    void foldsEachChangeIntoTheViewAndAppendsItToTheFeedOnce() {
        LiveViewWriter writer = writer(mongo, redisConnections);

        assertThat(writer.write(List.of(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 40, 2),
                job.completed(1, 1, 5)))).isEqualTo(4);
        assertThat(writer.write(List.of(job.completed(1, 1, 5), job.progress(1, Stage.STORING, 90, 6)))).isZero();

        JobView expected = foldAll(job.accepted(0), job.started(1, 1), job.progress(1, Stage.EXTRACTING, 40, 2),
                job.completed(1, 1, 5));
        assertThat(view(job)).isEqualTo(expected);
        List<MapRecord<String, Object, Object>> feed = feed(job);
        assertThat(feed).extracting(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .containsExactly("status", "status", "progress", "completed");
        assertThat(EventJson.mapper().readValue((String) feed.get(3).getValue().get(ViewStorage.FEED_FIELD_VIEW),
                JobView.class)).isEqualTo(expected);
        assertThat(ttl(ViewStorage.redisKey(job.jobId()))).isBetween(TTL.minusMinutes(1), TTL);
        assertThat(ttl(ViewStorage.feedKey(job.jobId()))).isBetween(TTL.minusMinutes(1), TTL);
    }

    @Test
    void aJobWhoseQueuedViewIngestWroteGoesOnFromItWithoutASecondQueuedEntry() {
        LiveViewWriter writer = writer(mongo, redisConnections);
        JobView queued = JobView.accepted(job.accepted(0));
        // what ingest writes before its 202: the first view, through the same script, only where there is none
        assertThat(new LiveViewStore(redis).replace(job.jobId(), null, List.of(new LiveViewWrite.FeedEntry(
                FeedKind.STATUS, EventJson.mapper().writeValueAsString(queued))), TTL).block()).isTrue();

        assertThat(writer.write(List.of(job.accepted(0), job.started(1, 1), job.completed(1, 1, 5)))).isEqualTo(2);

        assertThat(view(job)).isEqualTo(foldAll(job.accepted(0), job.started(1, 1), job.completed(1, 1, 5)));
        assertThat(feed(job)).extracting(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .containsExactly("status", "status", "completed");
        assertThat(EventJson.mapper().readValue((String) feed(job).get(0).getValue().get(ViewStorage.FEED_FIELD_VIEW),
                JobView.class)).isEqualTo(queued);
        assertThat(new LiveViewStore(redis).replace(job.jobId(), null, List.of(new LiveViewWrite.FeedEntry(
                FeedKind.STATUS, EventJson.mapper().writeValueAsString(queued))), TTL).block())
                .as("a late first view never replaces a newer one").isFalse();
        assertThat(feed(job)).hasSize(3);
    }

    @Test
    void aBatchOfSeveralJobsAppliesEachJobsEventsInOrderAndARedeliveryAppendsNothing() {
        LiveViewWriter writer = writer(mongo, redisConnections);
        List<JobEvent> batch = List.of(job.accepted(0), other.accepted(0), other.started(1, 1), job.started(1, 1),
                other.progress(1, Stage.EXTRACTING, 30, 2), job.started(1, 1), other.progress(1, Stage.DETECTING, 10, 3),
                job.failed(1, 4), other.completed(1, 1, 5));

        assertThat(writer.write(batch)).isEqualTo(7);
        assertThat(writer.write(batch)).isZero();

        assertThat(view(job)).isEqualTo(foldAll(job.accepted(0), job.started(1, 1), job.failed(1, 4)));
        assertThat(view(other)).isEqualTo(foldAll(other.accepted(0), other.started(1, 1),
                other.progress(1, Stage.EXTRACTING, 30, 2), other.completed(1, 1, 5)));
        assertThat(feed(job)).extracting(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .containsExactly("status", "status", "failed");
        assertThat(feed(other)).extracting(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .containsExactly("status", "status", "progress", "completed");
        assertThat(ownerFeed(job)).as("the owner's feed has each job's entries, once")
                .containsExactlyElementsOf(values(feed(job)));
        assertThat(ownerFeed(other)).containsExactlyElementsOf(values(feed(other)));
        assertThat(ttl(ViewStorage.ownerFeedKey("user-1"))).isBetween(ViewStorage.OWNER_FEED_TTL.minusMinutes(1),
                ViewStorage.OWNER_FEED_TTL);
    }

    /** The tombstone names no owner; the page's list of the owner's jobs must still hear of the deletion. */
    @Test
    void aDeletionReachesTheFeedOfTheOwnerTheJobHad() {
        LiveViewWriter writer = writer(mongo, redisConnections);
        writer.write(List.of(job.accepted(0), job.started(1, 1), job.completed(1, 1, 5)));

        writer.write(List.of(job.deleted(6)));

        List<Map<Object, Object>> owner = ownerFeed(job);
        assertThat(owner).last().satisfies(entry -> {
            assertThat(entry.get(ViewStorage.FEED_FIELD_KIND)).isEqualTo("deleted");
            assertThat(EventJson.mapper().readValue((String) entry.get(ViewStorage.FEED_FIELD_VIEW), JobView.class)
                    .status()).isEqualTo(JobStatus.DELETED);
        });
    }

    @Test
    void aJobMissingFromRedisStartsFromItsViewInMongo() {
        JobView queued = fold.apply(null, job.accepted(0));
        new JobViewRepository(mongo).update(job.jobId(), current -> queued).block();

        assertThat(writer(mongo, redisConnections).write(List.of(job.started(1, 1)))).isEqualTo(1);

        assertThat(view(job)).isEqualTo(fold.apply(queued, job.started(1, 1)));
        assertThat(view(job).ownerId()).isEqualTo("user-1");
    }

    @Test
    void aViewTakenFromMongoIsStoredEvenWhenTheEventAddsNothing() {
        JobView completed = foldAll(job.accepted(0), job.started(1, 1), job.completed(1, 1, 5));
        new JobViewRepository(mongo).update(job.jobId(), current -> completed).block();

        assertThat(writer(mongo, redisConnections).write(List.of(job.accepted(0), job.accepted(0)))).isEqualTo(1);

        assertThat(view(job)).isEqualTo(completed);
        assertThat(feed(job)).extracting(entry -> entry.getValue().get(ViewStorage.FEED_FIELD_KIND))
                .containsExactly("completed");
    }

    @Test
    void whileMongoWritesFailViewsLiveSevenDaysAndASignalBeforeTheAcceptanceStartsAnOwnerlessView() {
        health.failed();
        LiveViewWriter writer = writer(deadMongo, redisConnections);

        assertThat(writer.write(List.of(job.started(1, 1)))).isEqualTo(1);
        assertThat(view(job).ownerId()).isNull();
        assertThat(writer.write(List.of(job.accepted(0)))).isEqualTo(1);

        assertThat(view(job).status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(view(job).ownerId()).isEqualTo("user-1");
        assertThat(ownerFeed(job)).as("an ownerless view is nobody's to see; the owner's feed starts with the owner")
                .containsExactlyElementsOf(values(feed(job)).subList(1, 2));
        assertThat(ttl(ViewStorage.redisKey(job.jobId()))).isGreaterThan(DEGRADED_TTL.minusMinutes(1));
        assertThat(ttl(ViewStorage.feedKey(job.jobId()))).isGreaterThan(DEGRADED_TTL.minusMinutes(1));
    }

    @Test
    void aReplaceFromAViewThatChangedMeanwhileWritesNothing() {
        LiveViewStore store = new LiveViewStore(redis);
        String queued = EventJson.mapper().writeValueAsString(fold.apply(null, job.accepted(0)));
        String started = EventJson.mapper().writeValueAsString(foldAll(job.accepted(0), job.started(1, 1)));
        assertThat(store.replace(job.jobId(), null, status(queued), TTL).block()).isTrue();

        assertThat(store.replace(job.jobId(), null, status(started), TTL).block()).isFalse();
        assertThat(store.replace(job.jobId(), started, status(started), TTL).block()).isFalse();

        assertThat(redis.opsForValue().get(ViewStorage.redisKey(job.jobId())).block()).isEqualTo(queued);
        assertThat(feed(job)).hasSize(1);
    }

    @Test
    void aRedisOutageFailsTheWrite() {
        LiveViewWriter writer = writer(mongo, deadRedisConnections);

        assertThatThrownBy(() -> writer.write(List.of(job.accepted(0), other.accepted(0))))
                .isInstanceOf(RuntimeException.class);
    }

    private static List<LiveViewWrite.FeedEntry> status(String json) {
        return List.of(new LiveViewWrite.FeedEntry(FeedKind.STATUS, json));
    }

    private JobView foldAll(JobEvent... events) {
        JobView view = null;
        for (JobEvent event : events) {
            view = fold.apply(view, event);
        }
        return view;
    }

    private JobView view(SampleEvents job) {
        String json = redis.opsForValue().get(ViewStorage.redisKey(job.jobId())).block();
        return json == null ? null : EventJson.mapper().readValue(json, JobView.class);
    }

    private List<MapRecord<String, Object, Object>> feed(SampleEvents job) {
        return redis.opsForStream().range(ViewStorage.feedKey(job.jobId()), Range.unbounded()).collectList().block();
    }

    /** The entries of {@code job} in its owner's feed, which other tests' jobs share. */
    private List<Map<Object, Object>> ownerFeed(SampleEvents job) {
        return redis.opsForStream().range(ViewStorage.ownerFeedKey("user-1"), Range.unbounded())
                .map(MapRecord::getValue)
                .filter(entry -> EventJson.mapper().readValue((String) entry.get(ViewStorage.FEED_FIELD_VIEW),
                        JobView.class).jobId().equals(job.jobId()))
                .collectList().block();
    }

    private static List<Map<Object, Object>> values(List<MapRecord<String, Object, Object>> feed) {
        return feed.stream().map(MapRecord::getValue).toList();
    }

    private Duration ttl(String key) {
        return redis.getExpire(key).block();
    }
}
