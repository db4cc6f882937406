package dev.spool.ingest.feed;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One reader per owner with subscribers on this instance: on each wake-up (and every poll interval, in case one was
 * missed) it reads the owner's new feed entries once, renders each once and hands them to every local subscriber of
 * that owner. Wake-ups come from the instance's one channel subscription ({@link FeedWakeups}) and are handed to the
 * owner's reader by a map lookup, so a change costs the same however many owners are followed here. A reader stops
 * with its owner's last subscriber; an owner's feed has no end.
 */
@Component
class SharedOwnerFeeds implements DisposableBean {

    private final OwnerFeedReader reader;
    private final FeedWakeups wakeups;
    private final Duration pollInterval;
    private final ConcurrentMap<String, Follower> live = new ConcurrentHashMap<>();
    private Disposable dispatch;

    SharedOwnerFeeds(OwnerFeedReader reader, FeedWakeups wakeups, FeedProperties properties) {
        this.reader = reader;
        this.wakeups = wakeups;
        this.pollInterval = properties.pollInterval();
    }

    /**
     * The events of {@code ownerId}'s feed after {@code position}, shared. A subscriber must read what came before its
     * subscription itself (see {@link OwnerFeedStream}); events may overlap with that read, never leave a gap after
     * it.
     */
    Flux<ServerSentEvent<Object>> of(String ownerId, String position) {
        dispatchWakeups();
        return live.computeIfAbsent(ownerId, owner -> start(owner, position)).events();
    }

    /** Hands each owner's wake-ups to its reader, from the first feed on (as {@link FeedWakeups} subscribes then). */
    private synchronized void dispatchWakeups() {
        if (dispatch == null) {
            dispatch = wakeups.owners().subscribe(ownerId -> {
                Follower follower = live.get(ownerId);
                if (follower != null) {
                    follower.wakeups().tryEmitNext(ownerId);
                }
            });
        }
    }

    private Follower start(String ownerId, String position) {
        AtomicReference<String> read = new AtomicReference<>(position);
        AtomicReference<Follower> self = new AtomicReference<>();
        Sinks.Many<Object> wakeups = Sinks.many().multicast().directBestEffort();
        // The wake-ups are listened to from the reader's start: an entry appended after the position it starts from
        // then always comes with a wake-up it hears, instead of waiting for the poll interval.
        Flux<Object> ticks = Flux.merge(wakeups.asFlux(), Flux.interval(pollInterval));
        Flux<ServerSentEvent<Object>> events = ticks
                .onBackpressureLatest()
                .concatMap(tick -> reader.after(ownerId, read.get())
                        .doOnNext(event -> read.set(event.id()))
                        .onErrorResume(e -> Flux.empty()), 1)
                // only this reader: a later one for the same owner may have taken its place already
                .doFinally(signal -> live.remove(ownerId, self.get()))
                .publish()
                .refCount();
        self.set(new Follower(events, wakeups));
        return self.get();
    }

    @Override
    public synchronized void destroy() {
        if (dispatch != null) {
            dispatch.dispose();
        }
    }

    private record Follower(Flux<ServerSentEvent<Object>> events, Sinks.Many<Object> wakeups) {
    }
}
