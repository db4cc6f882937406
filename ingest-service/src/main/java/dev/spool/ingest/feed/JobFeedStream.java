package dev.spool.ingest.feed;

import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Builds a job's live feed for one subscriber: where to start (after {@code Last-Event-ID}, or at the newest entry),
 * then every later entry exactly once, in order, until the terminal one. Entries are read from the job's stream
 * after a cursor, never taken from the wake-up itself, which is what makes resuming gap-free and duplicate-free.
 */
@Component
public class JobFeedStream {

    private final JobFeedReader reader;
    private final FeedWakeups wakeups;
    private final Duration pollInterval;
    private final AtomicInteger open = new AtomicInteger();

    public JobFeedStream(JobFeedReader reader, FeedWakeups wakeups, FeedProperties properties, MeterRegistry meters) {
        this.reader = reader;
        this.wakeups = wakeups;
        this.pollInterval = properties.pollInterval();
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
            return reader.after(jobId, lastEventId).collectList().flatMap(backlog -> {
                if (backlog.isEmpty() && view.status().isTerminal()) {
                    return Mono.empty();
                }
                return Mono.just(continueAfter(jobId, lastEventId, backlog));
            });
        }
        return reader.latest(jobId)
                .map(latest -> continueAfter(jobId, latest.id(), List.of(latest)))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    FeedEvent snapshot = new FeedEvent(null, FeedKind.of(null, view), view);
                    return continueAfter(jobId, "0-0", List.of(snapshot));
                }));
    }

    private Flux<FeedEvent> continueAfter(String jobId, String cursor, List<FeedEvent> first) {
        if (first.stream().anyMatch(event -> event.kind().isTerminal())) {
            return counted(Flux.fromIterable(first).takeUntil(event -> event.kind().isTerminal()));
        }
        AtomicReference<String> position = new AtomicReference<>(cursor);
        first.stream().map(FeedEvent::id).filter(id -> id != null).reduce((a, b) -> b).ifPresent(position::set);
        Flux<Object> ticks = Flux.merge(Flux.just("start"), wakeups.of(jobId), Flux.interval(pollInterval));
        Flux<FeedEvent> later = ticks
                .onBackpressureLatest()
                .concatMap(tick -> reader.after(jobId, position.get())
                        .doOnNext(event -> position.set(event.id()))
                        .onErrorResume(e -> Flux.empty()), 1)
                .takeUntil(event -> event.kind().isTerminal());
        return counted(Flux.fromIterable(first).concatWith(later));
    }

    private Flux<FeedEvent> counted(Flux<FeedEvent> feed) {
        return feed.doOnSubscribe(subscription -> open.incrementAndGet()).doFinally(signal -> open.decrementAndGet());
    }
}
