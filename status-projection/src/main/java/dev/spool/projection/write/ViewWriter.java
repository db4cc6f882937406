package dev.spool.projection.write;

import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.ViewBatch;
import dev.spool.projection.mongo.JobViewRepository;
import dev.spool.projection.mongo.ViewChange;
import dev.spool.projection.state.JobStatePublisher;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The durable writer: folds a batch of events into their jobs' views in MongoDB, one query to read them and one
 * bulk write to store them, then publishes the views to {@code spool.job-state}. Redis is the live writer's
 * business, so a Redis outage never holds this one back.
 *
 * <p>It blocks on purpose: it runs on a Kafka listener thread, which must neither commit the batch's offsets before
 * MongoDB and the broker hold its views nor start the next batch before this one is written. It logs the jobs'
 * state changes, one line each; the live writer, which sees the same events, does not.
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
     * Folds {@code events} into their jobs' stored views and publishes each job's resulting view once.
     *
     * @param events events with a job id, in the order read; one job's events keep their order
     * @return what changed in MongoDB, by job id
     * @throws RuntimeException when MongoDB or the broker did not take the batch in time; nothing was lost, retry it
     */
    public Map<String, ViewChange> write(List<JobEvent> events) {
        ViewBatch batch = ViewBatch.of(events);
        if (batch.jobIds().isEmpty()) {
            return Map.of();
        }
        Map<String, UnaryOperator<JobView>> folds = new LinkedHashMap<>();
        for (String jobId : batch.jobIds()) {
            List<JobEvent> jobEvents = batch.events(jobId);
            folds.put(jobId, current -> fold.applyAll(current, jobEvents));
        }
        Map<String, ViewChange> changes;
        try {
            changes = repository.updateAll(folds).block(mongoTimeout);
        } catch (RuntimeException e) {
            health.failed();
            throw e;
        }
        health.succeeded();
        changes.values().stream().filter(ViewChange::changed)
                .forEach(change -> logStatusChanges(change.before(), batch.events(change.after().jobId())));
        // Published even when unchanged: a redelivered batch then repairs a publish that failed before.
        state.publish(changes.values().stream().map(ViewChange::after).toList());
        return changes;
    }

    /** Walks the job's events again from the view they were written onto, for one line per status it passed. */
    private void logStatusChanges(JobView stored, List<JobEvent> events) {
        JobView view = stored;
        for (JobEvent event : fold.unapplied(stored, events)) {
            JobView next = fold.apply(view, event);
            if (view == null || next.status() != view.status()) {
                logStatusChange(view, next);
            }
            view = next;
        }
    }

    private static void logStatusChange(JobView before, JobView after) {
        String from = before == null ? "new" : before.status().wireName();
        String to = after.status().wireName();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", after.jobId())) {
            LOG.atInfo()
                    .addKeyValue("fromStatus", from)
                    .addKeyValue("toStatus", to)
                    .addKeyValue("attempt", after.attempts())
                    .addKeyValue("processingMillis", after.processingMillis())
                    .log("job {} {} -> {}", after.jobId(), from, to);
        }
    }
}
