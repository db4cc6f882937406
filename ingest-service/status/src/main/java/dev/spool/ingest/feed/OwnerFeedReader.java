package dev.spool.ingest.feed;

import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads an owner's feed, the Redis Stream of all of the owner's job changes (see {@link ViewStorage}). */
@Component
class OwnerFeedReader {

    private final ReactiveStringRedisTemplate redis;
    private final OwnerFeedEvents events;
    private final Duration timeout;

    OwnerFeedReader(ReactiveStringRedisTemplate redis, OwnerFeedEvents events, FeedProperties properties) {
        this.redis = redis;
        this.events = events;
        this.timeout = properties.redisTimeout();
    }

    /**
     * Where the feed is now: its newest entry's id, or, when it has none, an id made of Redis's clock, which every
     * later entry's id exceeds.
     */
    Mono<String> position(String ownerId) {
        return redis.<String, String>opsForStream()
                .reverseRange(ViewStorage.ownerFeedKey(ownerId), Range.unbounded(), Limit.limit().count(1))
                .next()
                .map(entry -> entry.getId().getValue())
                .switchIfEmpty(Mono.defer(() -> redis.execute(connection -> connection.serverCommands().time())
                        .next()
                        .map(millis -> millis + "-0")))
                .timeout(timeout);
    }

    /** How long the feed is and its oldest entry, from which a resume tells whether entries were trimmed. */
    Mono<OwnerFeedState> state(String ownerId) {
        String key = ViewStorage.ownerFeedKey(ownerId);
        Mono<Long> length = redis.opsForStream().size(key);
        Mono<String> oldest = redis.<String, String>opsForStream()
                .range(key, Range.unbounded(), Limit.limit().count(1))
                .next()
                .map(entry -> entry.getId().getValue())
                .defaultIfEmpty("");
        return Mono.zip(length, oldest)
                .map(both -> new OwnerFeedState(both.getT1(), both.getT2().isEmpty() ? null : both.getT2()))
                .timeout(timeout);
    }

    /** The entries after {@code cursor}, oldest first, as server-sent events. */
    Flux<ServerSentEvent<Object>> after(String ownerId, String cursor) {
        return redis.<String, String>opsForStream()
                .range(ViewStorage.ownerFeedKey(ownerId), Range.rightUnbounded(Range.Bound.exclusive(cursor)))
                .map((MapRecord<String, String, String> entry) -> events.change(entry.getId().getValue(),
                        entry.getValue()))
                .timeout(timeout);
    }
}
