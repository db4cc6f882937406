package dev.spool.launcher;

import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.List;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A job's live feed as Redis holds it, read directly, for comparing with what an SSE client received. */
final class JobFeeds {

    private JobFeeds() {
    }

    /** The ids of every entry of the job's feed, oldest first. */
    static List<String> entryIds(ReactiveRedisConnectionFactory redis, String jobId) {
        return new ReactiveStringRedisTemplate(redis).opsForStream()
                .range(ViewStorage.feedKey(jobId), Range.unbounded())
                .map(entry -> entry.getId().getValue())
                .collectList()
                .block(Duration.ofSeconds(5));
    }
}
