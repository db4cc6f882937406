package dev.spool.ingest.feed;

import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The wake-ups of this instance's feeds: one subscription to the job and owner feed channels, shared by every open
 * feed however many there are. A wake-up only says "look again"; the entries themselves are read from the job's (or
 * owner's) stream, so a message lost while the subscription connects costs a poll interval, not an event.
 *
 * <p>The subscription is made when the first feed opens and kept until the instance stops. Dropping it with the last
 * open feed, as it once was, made every feed that opened when none was open subscribe anew, and a job that finished
 * while that subscription was being made waited out the poll interval: under a steady trickle of short jobs, each
 * followed by one client, most of them did.
 */
@Component
public class FeedWakeups implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(FeedWakeups.class);

    private final Flux<Wakeup> messages;
    private volatile Disposable subscription;

    public FeedWakeups(ReactiveStringRedisTemplate redis) {
        this.messages = Flux.defer(() -> redis.listenToChannel(ViewStorage.FEED_CHANNEL, ViewStorage.OWNER_FEED_CHANNEL))
                .map(message -> new Wakeup(message.getChannel(), message.getMessage()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .filter(failure -> subscription == null || !subscription.isDisposed())
                        .doBeforeRetry(signal -> LOG.warn("Feed channel subscription lost; resubscribing: {}",
                                signal.failure().toString())))
                // With no feed open nobody asks for wake-ups: they are dropped, never queued.
                .onBackpressureDrop()
                .publish()
                .autoConnect(1, connected -> subscription = connected);
    }

    /** Wake-ups for {@code jobId}. */
    public Flux<String> of(String jobId) {
        return messages.filter(message -> ViewStorage.FEED_CHANNEL.equals(message.channel()))
                .map(Wakeup::id)
                .filter(jobId::equals);
    }

    /** Wake-ups of every owner feed: the id of the owner whose feed has new entries. */
    public Flux<String> owners() {
        return messages.filter(message -> ViewStorage.OWNER_FEED_CHANNEL.equals(message.channel()))
                .map(Wakeup::id);
    }

    @Override
    public void destroy() {
        Disposable connected = subscription;
        if (connected != null) {
            connected.dispose();
        }
    }

    /** A message on one of the channels: the id of the job or owner whose feed has new entries. */
    private record Wakeup(String channel, String id) {
    }
}
