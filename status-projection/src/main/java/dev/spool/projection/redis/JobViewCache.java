package dev.spool.projection.redis;

import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import reactor.core.publisher.Mono;

/**
 * The fast copy of each job view in Redis, which status reads try first: the view's JSON under
 * {@link ViewStorage#redisKey(String)}, expiring a while after the job's last change.
 */
public final class JobViewCache {

    private final ReactiveRedisTemplate<String, JobView> redis;
    private final Duration ttl;

    public JobViewCache(ReactiveRedisTemplate<String, JobView> redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    /**
     * How the cache's template must read and write: string keys, and views as the JSON that {@link EventJson} writes, so
     * that every reader of the cache sees the same shape as MongoDB and Kafka carry.
     */
    public static RedisSerializationContext<String, JobView> serialization() {
        return RedisSerializationContext.<String, JobView>newSerializationContext(RedisSerializer.string())
                .value(new JacksonJsonRedisSerializer<>(EventJson.mapper(), JobView.class))
                .build();
    }

    /** Stores {@code view} as the job's cached view, replacing what was there and restarting its time to live. */
    public Mono<Void> put(JobView view) {
        return redis.opsForValue().set(ViewStorage.redisKey(view.jobId()), view, ttl).then();
    }
}
