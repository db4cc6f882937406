package dev.spool.ingest.jobs;

import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The fast copy of job views in Redis, kept there by the projection for a day after each change. */
@Component
public class JobViewCache {

    /** How long a view stays cached after it was last written, as the projection writes it. */
    public static final Duration TTL = Duration.ofHours(24);

    private final ReactiveRedisTemplate<String, JobView> redis;

    public JobViewCache(ReactiveRedisTemplate<String, JobView> redis) {
        this.redis = redis;
    }

    /** The cached view; empty when Redis does not hold it. */
    public Mono<JobView> get(String jobId) {
        return redis.opsForValue().get(ViewStorage.redisKey(jobId));
    }

    /**
     * Caches a view read from MongoDB, unless the projection has cached one meanwhile: only the projection may
     * replace a cached view, so a slow reader never puts an older view over a newer one.
     */
    public Mono<Boolean> putIfAbsent(JobView view) {
        return redis.opsForValue().setIfAbsent(ViewStorage.redisKey(view.jobId()), view, TTL);
    }
}
