package dev.spool.ingest.feed;

import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads a job's feed, the Redis Stream the projection appends to (see {@link ViewStorage}). */
@Component
public class JobFeedReader {

    /** Redis's ids have 13-digit times and small sequences; 18 digits each never overflow a long when compared. */
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,18}-\\d{1,18}");

    private final ReactiveStringRedisTemplate redis;
    private final Duration timeout;

    public JobFeedReader(ReactiveStringRedisTemplate redis, FeedProperties properties) {
        this.redis = redis;
        this.timeout = properties.redisTimeout();
    }

    /** Whether {@code id} is a feed entry id such as {@code 1700000000000-0}. */
    public static boolean isEntryId(String id) {
        return id != null && ENTRY_ID.matcher(id).matches();
    }

    /** The newest entry, or empty when the job has no feed. */
    public Mono<FeedEvent> latest(String jobId) {
        return redis.<String, String>opsForStream()
                .reverseRange(ViewStorage.feedKey(jobId), Range.unbounded(), Limit.limit().count(1))
                .next()
                .map(JobFeedReader::toEvent)
                .timeout(timeout);
    }

    /** The entries after {@code cursor}, oldest first. */
    public Flux<FeedEvent> after(String jobId, String cursor) {
        return redis.<String, String>opsForStream()
                .range(ViewStorage.feedKey(jobId), Range.rightUnbounded(Range.Bound.exclusive(cursor)))
                .map(JobFeedReader::toEvent)
                .timeout(timeout);
    }

    private static FeedEvent toEvent(MapRecord<String, String, String> entry) {
        Map<String, String> fields = entry.getValue();
        JobView view = EventJson.mapper().readValue(fields.get(ViewStorage.FEED_FIELD_VIEW), JobView.class);
        return new FeedEvent(entry.getId().getValue(), FeedKind.fromWireName(fields.get(ViewStorage.FEED_FIELD_KIND)),
                view);
    }
}
