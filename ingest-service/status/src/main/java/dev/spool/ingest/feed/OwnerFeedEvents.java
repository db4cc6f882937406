package dev.spool.ingest.feed;

import dev.spool.ingest.jobs.JobViewJson;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * The server-sent events of an owner's feed. A change's data is rendered to its JSON text here, once per instance
 * and entry, and the same event goes to every subscriber of the owner: a text datum is written as it is, where any
 * other object would be serialised again for each subscriber.
 */
@Component
class OwnerFeedEvents {

    /** The first event of a feed opened without {@code Last-Event-ID}: its id is where a reconnect resumes. */
    static final String READY = "ready";
    /** Entries after the client's {@code Last-Event-ID} are gone: it must load the list again. */
    static final String RESET = "reset";

    private final JobViewJson json;

    OwnerFeedEvents(JobViewJson json) {
        this.json = json;
    }

    /** An entry of the feed: named by its kind, the job's view (as status reads return it) as data. */
    ServerSentEvent<Object> change(String id, Map<String, String> fields) {
        JobView view = EventJson.mapper().readValue(fields.get(ViewStorage.FEED_FIELD_VIEW), JobView.class);
        return ServerSentEvent.builder()
                .id(id)
                .event(FeedKind.fromWireName(fields.get(ViewStorage.FEED_FIELD_KIND)).wireName())
                .data((Object) json.of(view).toString())
                .build();
    }

    ServerSentEvent<Object> ready(String position) {
        return ServerSentEvent.builder().id(position).event(READY)
                .data((Object) Map.of("at", Instant.now().toString())).build();
    }

    ServerSentEvent<Object> reset(String position) {
        return ServerSentEvent.builder().id(position).event(RESET)
                .data((Object) Map.of("code", "feed_reset",
                        "detail", "Changes after your Last-Event-ID are no longer kept; load your jobs again with "
                                + "GET /api/v1/jobs. This feed goes on from here."))
                .build();
    }
}
