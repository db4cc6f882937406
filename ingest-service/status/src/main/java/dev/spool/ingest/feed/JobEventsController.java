package dev.spool.ingest.feed;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.jobs.JobViewJson;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/jobs/{id}/events}: a job's live feed as server-sent events named {@code status},
 * {@code progress}, {@code completed} or {@code failed}, each with the job's view as data and an {@code id} to resume
 * after with {@code Last-Event-ID}; {@code heartbeat} events in between. The stream ends after the terminal event; a
 * subscriber that already saw it gets 204, which tells a browser's {@code EventSource} to stop reconnecting.
 * Ownership is checked before the stream starts, so refusals are ordinary problem responses.
 */
@RestController
public class JobEventsController {

    private final JobQueries queries;
    private final JobFeedStream feeds;
    private final JobViewJson json;
    private final Duration heartbeat;

    public JobEventsController(JobQueries queries, JobFeedStream feeds, JobViewJson json, FeedProperties properties) {
        this.queries = queries;
        this.feeds = feeds;
        this.json = json;
        this.heartbeat = properties.heartbeat();
    }

    @GetMapping(path = "/api/v1/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<ResponseEntity<Flux<ServerSentEvent<Object>>>> events(@AuthenticationPrincipal Caller caller,
            @PathVariable String id, @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return queries.find(caller, id)
                .flatMap(view -> feeds.open(view, lastEventId))
                .map(feed -> ResponseEntity.ok()
                        .header("Cache-Control", "no-cache")
                        // Proxies such as nginx buffer responses unless told not to, which would hold events back.
                        .header("X-Accel-Buffering", "no")
                        .contentType(MediaType.TEXT_EVENT_STREAM)
                        .body(SseHeartbeats.between(feed.map(this::toEvent), heartbeat)))
                .defaultIfEmpty(ResponseEntity.noContent().build());
    }

    private ServerSentEvent<Object> toEvent(FeedEvent event) {
        ServerSentEvent.Builder<Object> builder = ServerSentEvent.builder().event(event.kind().wireName())
                .data(json.of(event.view()));
        return event.id() == null ? builder.build() : builder.id(event.id()).build();
    }
}
