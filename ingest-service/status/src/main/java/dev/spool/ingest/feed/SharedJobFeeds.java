package dev.spool.ingest.feed;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * One reader per job with subscribers on this instance: on each wake-up (and every poll interval, in case one was
 * missed) it reads the job's new feed entries once and hands them to every local subscriber of that job. However
 * many people follow a job, the instance reads its feed once per change; the reader stops with the job's last
 * subscriber, or after the terminal entry.
 */
@Component
class SharedJobFeeds {

    private final JobFeedReader reader;
    private final FeedWakeups wakeups;
    private final Duration pollInterval;
    private final ConcurrentMap<String, Flux<FeedEvent>> live = new ConcurrentHashMap<>();

    SharedJobFeeds(JobFeedReader reader, FeedWakeups wakeups, FeedProperties properties) {
        this.reader = reader;
        this.wakeups = wakeups;
        this.pollInterval = properties.pollInterval();
    }

    /**
     * The entries of {@code jobId}'s feed from about now on, shared. A subscriber must read what came before its
     * subscription itself (see {@link JobFeedStream}); entries may overlap with that read, never leave a gap after it.
     */
    Flux<FeedEvent> of(String jobId) {
        return live.computeIfAbsent(jobId, this::start);
    }

    private Flux<FeedEvent> start(String jobId) {
        AtomicReference<String> position = new AtomicReference<>();
        // The wake-ups are listened to before the first read: an entry appended after that read then always comes
        // with a wake-up this reader hears, instead of waiting for the poll interval.
        Flux<Object> ticks = Flux.merge(wakeups.of(jobId), Flux.interval(pollInterval), Flux.just("start"));
        return reader.latest(jobId)
                .map(FeedEvent::id)
                .defaultIfEmpty("0-0")
                .onErrorReturn("0-0")
                .doOnNext(position::set)
                .flatMapMany(first -> ticks
                        .onBackpressureLatest()
                        .concatMap(tick -> reader.after(jobId, position.get())
                                .doOnNext(event -> position.set(event.id()))
                                .onErrorResume(e -> Flux.empty()), 1))
                .takeUntil(event -> event.kind().isTerminal())
                .doFinally(signal -> live.remove(jobId))
                .publish()
                .refCount();
    }
}
