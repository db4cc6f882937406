package dev.spool.ingest.feed;

import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The wake-ups of this instance's feeds: one subscription to the feed channel, shared by every open feed however
 * many there are, and dropped when the last one closes. A wake-up only says "look again"; the entries themselves are
 * read from the job's stream, so a message lost while the subscription reconnects costs a poll interval, not an
 * event.
 */
@Component
public class FeedWakeups {

    private static final Logger LOG = LoggerFactory.getLogger(FeedWakeups.class);

    private final Flux<String> jobIds;

    public FeedWakeups(ReactiveStringRedisTemplate redis) {
        this.jobIds = Flux.defer(() -> redis.listenToChannel(ViewStorage.FEED_CHANNEL))
                .map(ReactiveSubscription.Message::getMessage)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(signal -> LOG.warn("Feed channel subscription lost; resubscribing: {}",
                                signal.failure().toString())))
                .share();
    }

    /** Wake-ups for {@code jobId}. */
    public Flux<String> of(String jobId) {
        return jobIds.filter(jobId::equals);
    }
}
