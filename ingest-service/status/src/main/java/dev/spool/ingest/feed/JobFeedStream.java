package dev.spool.ingest.feed;

import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Builds a job's live feed for one subscriber: where to start (after {@code Last-Event-ID}, or at the newest entry),
 * then every later entry exactly once, in order, until the terminal one. The subscriber joins its job's shared
 * reader ({@link SharedJobFeeds}) first and reads its own backlog after, skipping what it already sent, so that
 * resuming is free of gaps and duplicates while the instance reads each job's feed once per change.
 */
@Component
public class JobFeedStream {

    private final JobFeedReader reader;
    private final SharedJobFeeds shared;
    private final AtomicInteger open = new AtomicInteger();

    JobFeedStream(JobFeedReader reader, SharedJobFeeds shared, MeterRegistry meters) {
        this.reader = reader;
        this.shared = shared;
        Gauge.builder("spool.sse.connections", open, AtomicInteger::get)
                .description("Live job feeds open on this instance").register(meters);
    }

    /**
     * The feed of {@code view}'s job for a subscriber that last saw {@code lastEventId} (or nothing).
     *
     * @return the events to send; empty when there is nothing more to say, because the subscriber already saw the
     *     job end
     */
    public Mono<Flux<FeedEvent>> open(JobView view, String lastEventId) {
        String jobId = view.jobId();
        if (JobFeedReader.isEntryId(lastEventId)) {
            return Mono.defer(() -> {
                Sinks.Many<FeedEvent> joined = Sinks.many().unicast().onBackpressureBuffer();
                Disposable membership = shared.of(jobId).subscribe(joined::tryEmitNext, joined::tryEmitError,
                        joined::tryEmitComplete);
                return reader.after(jobId, lastEventId).collectList()
                        .doOnError(e -> membership.dispose())
                        .flatMap(backlog -> {
                            if (backlog.isEmpty() && view.status().isTerminal()) {
                                membership.dispose();
                                return Mono.empty();
                            }
                            return Mono.just(feed(lastEventId, backlog, joined.asFlux(), membership));
                        });
            });
        }
        return Mono.defer(() -> {
            Sinks.Many<FeedEvent> joined = Sinks.many().unicast().onBackpressureBuffer();
            Disposable membership = shared.of(jobId).subscribe(joined::tryEmitNext, joined::tryEmitError,
                    joined::tryEmitComplete);
            return reader.latest(jobId)
                    .map(latest -> feed("0-0", List.of(latest), joined.asFlux(), membership))
                    .switchIfEmpty(Mono.fromSupplier(() -> {
                        FeedEvent snapshot = new FeedEvent(null, FeedKind.of(null, view), view);
                        return feed("0-0", List.of(snapshot), joined.asFlux(), membership);
                    }))
                    .doOnError(e -> membership.dispose());
        });
    }

    /** The backlog, then the shared entries after the last one sent, until the terminal entry. */
    private Flux<FeedEvent> feed(String cursor, List<FeedEvent> backlog, Flux<FeedEvent> joined, Disposable membership) {
        AtomicReference<String> sent = new AtomicReference<>(cursor);
        Flux<FeedEvent> later = joined.filter(event -> FeedEntryIds.isAfter(event.id(), sent.get()));
        Flux<FeedEvent> all = backlog.stream().anyMatch(event -> event.kind().isTerminal())
                ? Flux.fromIterable(backlog)
                : Flux.fromIterable(backlog).concatWith(later);
        return all
                .doOnNext(event -> {
                    if (event.id() != null) {
                        sent.set(event.id());
                    }
                })
                .takeUntil(event -> event.kind().isTerminal())
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> {
                    open.decrementAndGet();
                    membership.dispose();
                });
    }
}
