package dev.spool.projection.live;

import dev.spool.schemas.view.LiveViewWrite;
import dev.spool.schemas.view.OwnerFeedAppend;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The live copy of each job in Redis: its view, its feed and its owner's feed (see {@link ViewStorage}). Views are read and written
 * as raw JSON, so that a write can be conditional on the exact view the writer folded from.
 */
public final class LiveViewStore {

    private static final RedisScript<Long> WRITE = RedisScript.of(LiveViewWrite.SCRIPT, Long.class);
    private static final RedisScript<Long> APPEND_TO_OWNER = RedisScript.of(OwnerFeedAppend.SCRIPT, Long.class);

    private final ReactiveStringRedisTemplate redis;

    public LiveViewStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The job's view as stored, or empty when Redis has none. */
    public Mono<String> read(String jobId) {
        return redis.opsForValue().get(ViewStorage.redisKey(jobId));
    }

    /** The views of {@code jobIds} as stored, by job id, read with one {@code MGET}; a job without a view is missing. */
    public Mono<Map<String, String>> readAll(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return redis.opsForValue().multiGet(jobIds.stream().map(ViewStorage::redisKey).toList())
                .map(views -> {
                    Map<String, String> stored = new HashMap<>();
                    for (int i = 0; i < jobIds.size(); i++) {
                        if (views.get(i) != null) {
                            stored.put(jobIds.get(i), views.get(i));
                        }
                    }
                    return stored;
                });
    }

    /**
     * Appends each of {@code changes} to the job's feed and stores the last one's view as the job's view, gives both
     * {@code ttl} to live and wakes the feed's readers; all of it only if the stored view is still {@code expected}.
     *
     * @param expected the JSON the changes were folded from; {@code null} when Redis had no view
     * @param changes at least one, in order
     * @return whether it was written; {@code false} means another writer changed the view first
     */
    public Mono<Boolean> replace(String jobId, String expected, List<LiveViewWrite.FeedEntry> changes, Duration ttl) {
        LiveViewWrite write = new LiveViewWrite(jobId, expected, ttl, changes);
        return redis.execute(WRITE, write.keys(), write.args()).next().map(written -> written == 1L);
    }

    /** Appends {@code changes} of the owner's jobs to the owner's feed and wakes its readers. */
    public Mono<Void> appendToOwner(String ownerId, List<LiveViewWrite.FeedEntry> changes) {
        OwnerFeedAppend append = new OwnerFeedAppend(ownerId, changes);
        return redis.execute(APPEND_TO_OWNER, append.keys(), append.args()).then();
    }
}
