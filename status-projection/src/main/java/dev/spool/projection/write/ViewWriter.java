package dev.spool.projection.write;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.mongo.ViewChange;
import dev.spool.projection.state.JobStatePublisher;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable writer: folds one event into its job's view in MongoDB, then publishes the view to
 * {@code spool.job-state}. Redis is the live writer's business, so a Redis outage never holds this one back.
 *
 * <p>It blocks on purpose: it runs on a Kafka listener thread, which must neither commit an offset before MongoDB
 * holds the view nor start the job's next event before this one is written. It logs the job's state changes, one
 * line each; the live writer, which sees the same events, does not.
 */
public final class ViewWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ViewWriter.class);

    private final JobViewFold fold;
    private final JobViewRepository repository;
    private final JobStatePublisher state;
    private final DurableWriteHealth health;
    private final Duration mongoTimeout;

    public ViewWriter(JobViewFold fold, JobViewRepository repository, JobStatePublisher state, DurableWriteHealth health,
            Duration mongoTimeout) {
        this.fold = fold;
        this.repository = repository;
        this.state = state;
        this.health = health;
        this.mongoTimeout = mongoTimeout;
    }

    /**
     * Folds {@code event} into its job's stored view and publishes the result.
     *
     * @return what changed in MongoDB
     * @throws RuntimeException when MongoDB or the broker did not take the write in time; nothing was lost, retry
     */
    public ViewChange write(JobEvent event) {
        ViewChange change;
        try {
            change = repository.update(event.jobId(), current -> fold.apply(current, event)).block(mongoTimeout);
        } catch (RuntimeException e) {
            health.failed();
            throw e;
        }
        health.succeeded();
        JobView after = change.after();
        if (change.statusChanged()) {
            logStatusChange(change.before(), after);
        }
        // Published even when unchanged: a redelivered event then repairs a publish that failed before.
        state.publish(after);
        return change;
    }

    private static void logStatusChange(JobView before, JobView after) {
        String from = before == null ? "new" : before.status().wireName();
        String to = after.status().wireName();
        LOG.atInfo()
                .addKeyValue("fromStatus", from)
                .addKeyValue("toStatus", to)
                .addKeyValue("attempt", after.attempts())
                .addKeyValue("processingMillis", after.processingMillis())
                .log("job {} {} -> {}", after.jobId(), from, to);
    }
}
