package dev.spool.projection.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.SharedInfra;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.test.StepVerifier;

class JobViewCacheTest {

    private static final Duration TTL = Duration.ofHours(24);

    private static LettuceConnectionFactory connections;
    private static ReactiveStringRedisTemplate raw;
    private static JobViewCache cache;

    private final JobViewFold fold = new JobViewFold();
    private final SampleEvents job = new SampleEvents("cache-" + UUID.randomUUID());

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(SharedInfra.get().redisHost(), SharedInfra.get().redisPort()));
        connections.afterPropertiesSet();
        connections.start();
        raw = new ReactiveStringRedisTemplate(connections);
        cache = new JobViewCache(new ReactiveRedisTemplate<>(connections, JobViewCache.serialization()), TTL);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Test
    void storesTheViewJsonUnderTheAgreedKeyWithItsTimeToLive() {
        JobView completed = fold.apply(fold.apply(null, job.accepted(0)), job.completed(1, 1, 5));

        cache.put(completed).as(StepVerifier::create).verifyComplete();

        String key = ViewStorage.redisKey(job.jobId());
        raw.opsForValue().get(key)
                .as(StepVerifier::create)
                .assertNext(json -> {
                    assertThat(EventJson.mapper().readValue(json, JobView.class)).isEqualTo(completed);
                    assertThat(json).contains("\"status\":\"completed\"", "\"priority\":\"normal\"",
                            "\"completedAt\":\"2026-11-22T10:00:05Z\"");
                })
                .verifyComplete();
        raw.getExpire(key)
                .as(StepVerifier::create)
                .assertNext(ttl -> assertThat(ttl).isBetween(TTL.minusMinutes(1), TTL))
                .verifyComplete();
    }

    @Test
    void aNewerViewReplacesTheOldOneAndRestartsItsTimeToLive() {
        JobView queued = fold.apply(null, job.accepted(0));
        JobView started = fold.apply(queued, job.started(1, 1));
        String key = ViewStorage.redisKey(job.jobId());
        cache.put(queued).block();
        raw.expire(key, Duration.ofMinutes(5)).block();

        cache.put(started).as(StepVerifier::create).verifyComplete();

        raw.opsForValue().get(key)
                .map(json -> EventJson.mapper().readValue(json, JobView.class))
                .as(StepVerifier::create)
                .expectNext(started)
                .verifyComplete();
        raw.getExpire(key)
                .as(StepVerifier::create)
                .assertNext(ttl -> assertThat(ttl).isGreaterThan(Duration.ofHours(23)))
                .verifyComplete();
    }
}
