package dev.spool.ingest.feed;

import dev.spool.ingest.auth.Caller;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/jobs/events}: the live feed of all of the caller's jobs, as server-sent events named as in a
 * job's feed ({@code status}, {@code progress}, {@code completed}, {@code failed}) with the job's view as data and an
 * {@code id} to resume after with {@code Last-Event-ID}; {@code ready} first when opened without one, {@code reset}
 * first when the changes after it are no longer kept; {@code heartbeat} events in between. It never ends by itself.
 * A literal path segment ranks before a template variable, so {@code /api/v1/jobs/{id}} never takes it for a job id.
 */
@RestController
public class OwnerEventsController {

    private final OwnerFeedStream feeds;
    private final Duration heartbeat;

    OwnerEventsController(OwnerFeedStream feeds, FeedProperties properties) {
        this.feeds = feeds;
        this.heartbeat = properties.heartbeat();
    }

    @GetMapping(path = "/api/v1/jobs/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> events(@AuthenticationPrincipal Caller caller,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return feeds.open(caller.userId(), lastEventId)
                .map(feed -> ResponseEntity.ok()
                        .header("Cache-Control", "no-cache")
                        // Proxies such as nginx buffer responses unless told not to, which would hold events back.
                        .header("X-Accel-Buffering", "no")
                        .contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(SseHeartbeats.between(feed, heartbeat)));
    }
}
