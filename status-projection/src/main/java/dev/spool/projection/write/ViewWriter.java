package dev.spool.projection.write;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.mongo.ViewChange;
import dev.spool.projection.redis.JobViewCache;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what one event does to its job's view: folded and stored in MongoDB first (the durable copy, whose
 * failure the caller must retry), then copied to Redis on a best-effort basis.
 *
 * <p>It blocks on purpose: it runs on a Kafka listener thread, which must neither commit an offset before MongoDB
 * holds the view nor start the job's next event before this one is written.
 */
public final class ViewWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ViewWriter.class);

    private final JobViewFold fold;
    private final JobViewRepository repository;
    private final JobViewCache cache;
    private final Duration mongoTimeout;
    private final Duration redisTimeout;

    public ViewWriter(JobViewFold fold, JobViewRepository repository, JobViewCache cache, Duration mongoTimeout,
            Duration redisTimeout) {
        this.fold = fold;
        this.repository = repository;
        this.cache = cache;
        this.mongoTimeout = mongoTimeout;
        this.redisTimeout = redisTimeout;
    }

    /**
     * Folds {@code event} into its job's stored view and caches the result.
     *
     * @return what changed in MongoDB
     * @throws RuntimeException when MongoDB did not take the write in time; nothing was lost, retry the event
     */
    public ViewChange write(JobEvent event) {
        ViewChange change = repository.update(event.jobId(), current -> fold.apply(current, event)).block(mongoTimeout);
        JobView after = change.after();
        if (change.statusChanged()) {
            LOG.info("job {} {} -> {}", after.jobId(),
                    change.before() == null ? "new" : change.before().status().wireName(), after.status().wireName());
        }
        // Re-cached even when unchanged: a redelivered event then repairs a cache write that failed before.
        cache(after);
        return change;
    }

    private void cache(JobView view) {
        try {
            cache.put(view).block(redisTimeout);
        } catch (RuntimeException e) {
            LOG.warn("job {} view version {} is in MongoDB but not in Redis: {}", view.jobId(), view.version(), e.toString());
        }
    }
}
