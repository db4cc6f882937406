package dev.spool.ingest.feed;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Builds an owner's live feed for one subscriber. Without {@code Last-Event-ID} it starts from now with a
 * {@code ready} event whose id marks that point; with one it resumes after it, or, when the feed may no longer hold
 * all that came after it, starts from now with a {@code reset} event. Then it sends every later entry exactly once,
 * in order: the subscriber joins its owner's shared reader ({@link SharedOwnerFeeds}) first and reads its own
 * backlog after, skipping what it already sent, as {@link JobFeedStream} does for one job.
 */
@Component
class OwnerFeedStream {

    private final OwnerFeedReader reader;
    private final SharedOwnerFeeds shared;
    private final OwnerFeedEvents events;
    private final AtomicInteger open = new AtomicInteger();

    OwnerFeedStream(OwnerFeedReader reader, SharedOwnerFeeds shared, OwnerFeedEvents events, MeterRegistry meters) {
        this.reader = reader;
        this.shared = shared;
        this.events = events;
        Gauge.builder("spool.sse.owner.connections", open, AtomicInteger::get)
                .description("Live feeds of an owner's jobs open on this instance").register(meters);
    }

    /**
     * The feed of {@code ownerId}'s jobs for a subscriber that last saw {@code lastEventId} (or nothing); fails with
     * {@code status_unavailable} when Redis cannot say where to start.
     */
    Mono<Flux<ServerSentEvent<Object>>> open(String ownerId, String lastEventId) {
        Mono<Flux<ServerSentEvent<Object>>> feed;
        if (JobFeedReader.isEntryId(lastEventId)) {
            feed = reader.state(ownerId).flatMap(state -> OwnerFeedResumption.mayHaveLost(lastEventId, state,
                    Instant.now())
                    ? reader.position(ownerId).map(position -> follow(ownerId, position, events.reset(position)))
                    : Mono.just(follow(ownerId, lastEventId, null)));
        } else {
            feed = reader.position(ownerId).map(position -> follow(ownerId, position, events.ready(position)));
        }
        return feed.onErrorMap(e -> e instanceof SpoolProblem ? e : new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE, e));
    }

    /** {@code first} (if any), the entries after {@code position}, then the shared entries after the last one sent. */
    private Flux<ServerSentEvent<Object>> follow(String ownerId, String position, ServerSentEvent<Object> first) {
        return Flux.defer(() -> {
            Sinks.Many<ServerSentEvent<Object>> joined = Sinks.many().unicast().onBackpressureBuffer();
            Disposable membership = shared.of(ownerId, position).subscribe(joined::tryEmitNext, joined::tryEmitError,
                    joined::tryEmitComplete);
            AtomicReference<String> sent = new AtomicReference<>(position);
            Flux<ServerSentEvent<Object>> later = joined.asFlux()
                    .filter(event -> FeedEntryIds.isAfter(event.id(), sent.get()));
            return Flux.concat(Mono.justOrEmpty(first), reader.after(ownerId, position), later)
                    .doOnNext(event -> sent.set(event.id()))
                    .doOnSubscribe(subscription -> open.incrementAndGet())
                    .doFinally(signal -> {
                        open.decrementAndGet();
                        membership.dispose();
                    });
        });
    }
}
