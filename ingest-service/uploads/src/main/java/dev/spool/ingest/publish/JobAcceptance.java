package dev.spool.ingest.publish;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.schemas.event.JobAccepted;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The one way a stored file becomes a job, for multipart and resumable uploads alike: its acceptance is published
 * (work record and fact in one Kafka transaction, behind the Kafka breaker), and once the broker has it the job
 * exists: it is counted and its state change logged, one line per job, and its queued view is written where status
 * reads find it. What to do with the stored file when publishing fails is the caller's, since only it knows whether
 * the client can still finish the upload.
 */
@Component
public class JobAcceptance {

    private static final Logger LOG = LoggerFactory.getLogger(JobAcceptance.class);

    private final JobPublisher publisher;
    private final DependencyGuard guard;
    private final QueuedViews queuedViews;
    private final PublishedAcceptances published;
    private final MeterRegistry meters;

    public JobAcceptance(JobPublisher publisher, DependencyGuard guard, QueuedViews queuedViews,
            PublishedAcceptances published, MeterRegistry meters) {
        this.publisher = publisher;
        this.guard = guard;
        this.queuedViews = queuedViews;
        this.published = published;
        this.meters = meters;
    }

    /** How the file arrived, which decides what a client told of a failure should do next. */
    public enum Route {
        /** A multipart request, whose files are gone when it fails: send them again. */
        MULTIPART("multipart upload", null),
        /** A tus upload, whose file stays stored: resuming it queues the job. */
        RESUMABLE("resumable upload", "The file is stored but its job could not be queued yet; resume the upload "
                + "(or ask for its offset) after the Retry-After delay to queue it.");

        private final String description;
        private final String unpublished;

        Route(String description, String unpublished) {
            this.description = description;
            this.unpublished = unpublished;
        }

        SpoolProblem unpublished(Throwable cause) {
            return unpublished == null ? new SpoolProblem(ProblemCode.PUBLISH_FAILED, cause)
                    : new SpoolProblem(ProblemCode.PUBLISH_FAILED, unpublished, cause);
        }
    }

    /**
     * Makes jobs of {@code acceptances}, all in one transaction, and gives each its queued view in Redis.
     *
     * @return completes once they exist and their status can be read (or writing their views failed: the projection
     *     writes them then); fails with {@code publish_failed} (with {@code Retry-After} while the
     *     breaker is open) when none of them does
     */
    public Mono<Void> accept(List<Acceptance> acceptances, Route route) {
        return guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED, publisher.publish(acceptances))
                .onErrorMap(e -> !(e instanceof SpoolProblem), route::unpublished)
                .then(Mono.fromRunnable(() -> acceptances.forEach(acceptance -> accepted(acceptance.job(), route))))
                .then(Mono.defer(() -> queuedViews.write(acceptances.stream().map(Acceptance::job).toList())));
    }

    /**
     * Makes the job of {@code acceptance} unless an earlier attempt did: one made at or after {@code since} whose
     * outcome the caller could not record (it died between Kafka's acknowledgement and its own record, or the answer
     * was lost). Kafka is asked first ({@link PublishedAcceptances}), so that a job is accepted exactly once however
     * often its upload is finished.
     *
     * @return completes once the job exists, whichever attempt made it; fails with {@code publish_failed} when Kafka
     *     cannot answer, or while a transaction of the earlier attempt is still open
     */
    public Mono<Void> acceptOnce(Acceptance acceptance, Instant since, Route route) {
        JobAccepted job = acceptance.job();
        Mono<PublishedAcceptances.Answer> answer = guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED,
                        published.find(job.jobId(), since))
                .onErrorMap(e -> !(e instanceof SpoolProblem), route::unpublished);
        return answer.flatMap(found -> switch (found) {
            case ABSENT -> accept(List.of(acceptance), route);
            case PUBLISHED -> {
                try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
                    LOG.info("Job {} was already accepted by an earlier attempt; not publishing it again",
                            job.jobId());
                }
                yield queuedViews.write(List.of(job));
            }
            case UNDECIDED -> Mono.error(route.unpublished(new IllegalStateException("a transaction that may hold "
                    + "the acceptance of job " + job.jobId() + " is still open")));
        });
    }

    private void accepted(JobAccepted job, Route route) {
        meters.counter("spool.uploads", "outcome", "accepted", "code", "none").increment();
        meters.summary("spool.upload.bytes").record(job.size());
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            LOG.atInfo()
                    .addKeyValue("route", route.description)
                    .log("Job {} accepted: {} bytes of {} from {} at priority {} ({})", job.jobId(), job.size(),
                            job.contentType(), job.ownerId(), job.priority().wireName(), route.description);
        }
    }
}
