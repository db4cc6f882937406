package dev.spool.ingest.deletion;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.storage.JobObjects;
import dev.spool.schemas.view.JobView;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Deletes a job for its owner or an administrator: removes its original and its text from S3 and its entries from the
 * dead-letter index, then publishes its {@code deleted} fact, on which the projection replaces its views with a
 * tombstone and clears its feed. What the job holds goes first: when the fact cannot be published the job still
 * shows and the caller deletes again, which finds nothing left to remove; the other way round, a failure would leave
 * files that no view points to any more.
 *
 * <p>Another user's job answers as an unknown one, as reads do. A processor may still finish the job afterwards; it
 * removes the text it stored when it finds the original gone (see the processor's {@code JobProcessing}).
 */
@Service
public class JobDeletions {

    /** The {@code requestedBy} of a deletion that retention made. */
    public static final String RETENTION = "spool-retention";

    private static final Logger LOG = LoggerFactory.getLogger(JobDeletions.class);

    private final JobQueries queries;
    private final ObjectStore objects;
    private final JobPublisher publisher;
    private final DependencyGuard guard;
    private final StorageProperties storage;
    private final DeadLetterEntries deadLetters;
    private final Clock clock = Clock.systemUTC();

    public JobDeletions(JobQueries queries, ObjectStore objects, JobPublisher publisher, DependencyGuard guard,
            StorageProperties storage, DeadLetterEntries deadLetters) {
        this.queries = queries;
        this.objects = objects;
        this.publisher = publisher;
        this.guard = guard;
        this.storage = storage;
        this.deadLetters = deadLetters;
    }

    /**
     * Deletes {@code jobId}: {@code job_not_found} for an unknown, already deleted or another user's job,
     * {@code storage_unavailable}, {@code status_unavailable} or {@code publish_failed} (all safe to retry) when a
     * store does not answer.
     */
    public Mono<Void> delete(Caller caller, String jobId) {
        return queries.find(caller, jobId)
                .onErrorMap(e -> e instanceof SpoolProblem problem && problem.code() == ProblemCode.NOT_OWNER,
                        e -> new SpoolProblem(ProblemCode.JOB_NOT_FOUND))
                .flatMap(view -> removeStored(view)
                        .then(Mono.defer(() -> publish(view, caller.userId()))));
    }

    /**
     * Deletes a job whose retention ran out, as its owner's {@code DELETE} would; the fact names
     * {@value #RETENTION} as who deleted it.
     */
    public Mono<Void> expire(JobView view) {
        return removeStored(view).then(Mono.defer(() -> publish(view, RETENTION)));
    }

    /**
     * The original and the text where a text is always stored, and where the view says it is, should that differ;
     * then the job's dead-letter index entries.
     */
    private Mono<Void> removeStored(JobView view) {
        return removeFiles(view).then(Mono.defer(() -> guard.call(Dependency.MONGODB, ProblemCode.STATUS_UNAVAILABLE,
                        deadLetters.remove(view.jobId()))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE,
                        "The job's dead letters could not be removed, so the job was not deleted; send the DELETE "
                                + "again after the Retry-After delay.", e))
                .then()));
    }

    private Mono<Void> removeFiles(JobView view) {
        String jobId = view.jobId();
        Mono<Void> removed = objects.delete(storage.uploadBucket(), JobObjects.uploadKey(jobId))
                .then(objects.delete(storage.textBucket(), JobObjects.textKey(jobId)));
        ExtractionResult result = view.result();
        if (result != null && result.textBucket() != null && result.textKey() != null
                && !(result.textBucket().equals(storage.textBucket())
                        && result.textKey().equals(JobObjects.textKey(jobId)))) {
            removed = removed.then(objects.delete(result.textBucket(), result.textKey()));
        }
        return removed;
    }

    private Mono<Void> publish(JobView view, String requestedBy) {
        JobDeleted fact = new JobDeleted(view.jobId(), Math.max(1, view.attempts()), requestedBy, clock.instant());
        return guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED, publisher.deleted(fact))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.PUBLISH_FAILED,
                        "The job's files were removed but its deletion could not be recorded; send the DELETE again "
                                + "after the Retry-After delay.", e))
                .doOnSuccess(done -> log(view, requestedBy));
    }

    private static void log(JobView view, String requestedBy) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", view.jobId())) {
            LOG.atInfo()
                    .addKeyValue("fromStatus", view.status().wireName())
                    .addKeyValue("toStatus", "deleted")
                    .addKeyValue("requestedBy", requestedBy)
                    .addKeyValue("byOwner", requestedBy.equals(view.ownerId()))
                    .log("job {} {} -> deleted", view.jobId(), view.status().wireName());
        }
    }
}
