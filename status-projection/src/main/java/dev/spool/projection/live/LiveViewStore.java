package dev.spool.projection.live;

import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The live copy of each job in Redis: its view and its feed (see {@link ViewStorage}). Views are read and written
 * as raw JSON, so that a write can be conditional on the exact view the writer folded from.
 */
public final class LiveViewStore {

    /**
     * Read once: a script backed by a resource asks, on every call, whether the resource changed, and inside the
     * launcher's nested jar that lookup was most of the live writer's CPU.
     */
    private static final RedisScript<Long> REPLACE_VIEW = RedisScript.of(script("replace-view.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;

    private static String script(String name) {
        try (InputStream lua = LiveViewStore.class.getResourceAsStream(name)) {
            if (lua == null) {
                throw new IllegalStateException("the Redis script " + name + " is missing from the classpath");
            }
            return new String(lua.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis script " + name, e);
        }
    }

    public LiveViewStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The job's view as stored, or empty when Redis has none. */
    public Mono<String> read(String jobId) {
        return redis.opsForValue().get(ViewStorage.redisKey(jobId));
    }

    /**
     * Appends each of {@code changes} to the job's feed and stores the last one's view as the job's view, gives both
     * {@code ttl} to live and wakes the feed's readers; all of it only if the stored view is still {@code expected}.
     *
     * @param expected the JSON the changes were folded from; {@code null} when Redis had no view
     * @param changes at least one, in order
     * @return whether it was written; {@code false} means another writer changed the view first
     */
    public Mono<Boolean> replace(String jobId, String expected, List<FeedEntry> changes, Duration ttl) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no change to write for job " + jobId);
        }
        List<String> keys = List.of(ViewStorage.redisKey(jobId), ViewStorage.feedKey(jobId));
        List<String> args = new ArrayList<>(List.of(expected == null ? "" : expected, Long.toString(ttl.toMillis()),
                Integer.toString(ViewStorage.FEED_MAX_LENGTH), ViewStorage.FEED_CHANNEL, jobId));
        for (FeedEntry change : changes) {
            args.add(change.kind().wireName());
            args.add(change.json());
        }
        return redis.execute(REPLACE_VIEW, keys, args).next().map(written -> written == 1L);
    }

    /**
     * One change of a job's view as its feed shows it.
     *
     * @param kind what the change is
     * @param json the view's JSON after it
     */
    public record FeedEntry(FeedKind kind, String json) {
    }
}
