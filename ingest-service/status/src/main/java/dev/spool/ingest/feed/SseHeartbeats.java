package dev.spool.ingest.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Heartbeats between a feed's events. They are named events, not comments: comments never reach a browser's script,
 * which then cannot tell a quiet feed from a dead connection.
 */
final class SseHeartbeats {

    static final String HEARTBEAT = "heartbeat";

    private SseHeartbeats() {
    }

    /** {@code events} with a heartbeat every {@code interval}, until they end. */
    static Flux<ServerSentEvent<Object>> between(Flux<ServerSentEvent<Object>> events, Duration interval) {
        return events.publish(shared -> Flux.merge(shared,
                Flux.interval(interval, interval)
                        .map(tick -> ServerSentEvent.builder()
                                .event(HEARTBEAT).data((Object) Map.of("at", Instant.now().toString())).build())
                        .takeUntilOther(shared.ignoreElements().then(Mono.just(true)))));
    }
}
