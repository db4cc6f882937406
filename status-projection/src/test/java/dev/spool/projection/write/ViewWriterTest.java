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
import dev.spool.projection.redis.JobViewCache;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The writer against a real MongoDB and Redis, and against each of them unreachable. */
class ViewWriterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static MongoClient mongo;
    private static MongoClient deadMongo;
    private static LettuceConnectionFactory redis;
    private static LettuceConnectionFactory deadRedis;

    private final SampleEvents job = new SampleEvents("writer-" + UUID.randomUUID());

    @BeforeAll
    static void connect() throws IOException {
        int closedPort = closedPort();
        mongo = MongoClients.create(SharedInfra.get().mongoUri());
        deadMongo = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString("mongodb://127.0.0.1:" + closedPort))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(300, TimeUnit.MILLISECONDS))
                .build());
        redis = start(SharedInfra.get().redisHost(), SharedInfra.get().redisPort());
        deadRedis = start("127.0.0.1", closedPort);
    }

    @AfterAll
    static void disconnect() {
        mongo.close();
        deadMongo.close();
        redis.destroy();
        deadRedis.destroy();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static LettuceConnectionFactory start(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private static ViewWriter writer(MongoClient mongoClient, LettuceConnectionFactory redisConnections) {
        ReactiveRedisTemplate<String, JobView> template =
                new ReactiveRedisTemplate<>(redisConnections, JobViewCache.serialization());
        return new ViewWriter(new JobViewFold(), new JobViewRepository(mongoClient),
                new JobViewCache(template, Duration.ofHours(24)), TIMEOUT, Duration.ofSeconds(1));
    }

    private JobView cached() {
        String json = new ReactiveStringRedisTemplate(redis).opsForValue().get(ViewStorage.redisKey(job.jobId())).block();
        return json == null ? null : EventJson.mapper().readValue(json, JobView.class);
    }

    @Test
    void writesMongoThenRedis() {
        ViewWriter writer = writer(mongo, redis);

        writer.write(job.accepted(0));
        ViewChange change = writer.write(job.started(1, 1));

        assertThat(change.after().status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(new JobViewRepository(mongo).find(job.jobId()).block()).isEqualTo(change.after());
        assertThat(cached()).isEqualTo(change.after());
    }

    @Test
    void aRedisOutageLeavesTheViewInMongoAndTheNextEventCachesIt() {
        ViewChange written = writer(mongo, deadRedis).write(job.accepted(0));

        assertThat(new JobViewRepository(mongo).find(job.jobId()).block()).isEqualTo(written.after());
        assertThat(cached()).isNull();

        ViewChange redelivered = writer(mongo, redis).write(job.accepted(0));
        assertThat(redelivered.changed()).isFalse();
        assertThat(cached()).isEqualTo(written.after());
    }

    @Test
    void aMongoOutageFailsTheWriteAndCachesNothing() {
        ViewWriter writer = writer(deadMongo, redis);

        assertThatThrownBy(() -> writer.write(job.accepted(0))).isInstanceOf(RuntimeException.class);
        assertThat(cached()).isNull();
    }
}
