package dev.spool.ingest.jobs;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StatusProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.s3.ObjectStore;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Answers status reads: Redis first, MongoDB on a miss or a Redis outage (re-caching what it found), and only to
 * the job's owner or an administrator. A job is unknown only when MongoDB, the durable store, says so, or when either
 * store holds its tombstone: a deleted job is unknown to every read.
 */
@Service
public class JobQueries {

    private static final Logger LOG = LoggerFactory.getLogger(JobQueries.class);
    /** Job ids are UUIDs; anything else cannot name a job and is not worth a round trip. */
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");

    private final JobViewCache cache;
    private final JobViewStore store;
    private final ObjectStore objects;
    /** Jobs per page unless asked otherwise. */
    public static final int DEFAULT_PAGE = 20;
    /** Most jobs per page. */
    public static final int MAX_PAGE = 100;

    private final DependencyGuard guard;
    private final Duration timeout;

    public JobQueries(JobViewCache cache, JobViewStore store, ObjectStore objects, DependencyGuard guard,
            StatusProperties status) {
        this.guard = guard;
        this.cache = cache;
        this.store = store;
        this.objects = objects;
        this.timeout = status.storeTimeout();
    }

    /** The caller's view of a job: {@code job_not_found}, {@code not_owner} or {@code status_unavailable} otherwise. */
    public Mono<JobView> find(Caller caller, String jobId) {
        if (!JOB_ID.matcher(jobId).matches()) {
            return Mono.error(new SpoolProblem(ProblemCode.JOB_NOT_FOUND));
        }
        return lookup(jobId)
                // a deleted job's tombstone keeps the job from coming back; to readers it does not exist
                .filter(view -> view.status() != JobStatus.DELETED)
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.JOB_NOT_FOUND)))
                .flatMap(view -> caller.mayRead(view.ownerId())
                        ? Mono.just(view)
                        : Mono.error(new SpoolProblem(ProblemCode.NOT_OWNER)));
    }

    /**
     * Opens a completed job's extracted text: {@code not_ready} while it runs, {@code job_failed} when it failed,
     * {@code text_not_found} when the text has gone from storage.
     */
    public Mono<StoredText> text(Caller caller, String jobId) {
        return find(caller, jobId).flatMap(JobQueries::textOf).flatMap(result ->
                objects.open(result.textBucket(), result.textKey())
                        .map(body -> new StoredText(body, result.textEncoding()))
                        .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.TEXT_NOT_FOUND))));
    }

    /**
     * The result of a job that has a stored text: {@code not_ready} while it runs, {@code job_failed} when it failed,
     * {@code text_not_found} when its result names no stored text.
     */
    public static Mono<ExtractionResult> textOf(JobView view) {
        if (view.status() == JobStatus.FAILED) {
            return Mono.error(new SpoolProblem(ProblemCode.JOB_FAILED));
        }
        ExtractionResult result = view.result();
        if (view.status() != JobStatus.COMPLETED || result == null) {
            return Mono.error(new SpoolProblem(ProblemCode.NOT_READY));
        }
        if (result.textBucket() == null || result.textKey() == null) {
            return Mono.error(new SpoolProblem(ProblemCode.TEXT_NOT_FOUND));
        }
        return Mono.just(result);
    }

    /**
     * A page of {@code caller}'s jobs, newest first; an admin may list another user's with {@code ownerId}.
     * Listing needs MongoDB, the only store that can enumerate jobs.
     */
    public Mono<JobPage> list(Caller caller, String ownerId, String status, String cursor, int limit) {
        return Mono.defer(() -> {
            if (ownerId != null && !ownerId.equals(caller.userId()) && !caller.admin()) {
                return Mono.error(new SpoolProblem(ProblemCode.FORBIDDEN,
                        "Only administrators may list another user's jobs; leave out owner to list your own."));
            }
            if (limit < 1 || limit > MAX_PAGE) {
                return Mono.error(new SpoolProblem(ProblemCode.MALFORMED_REQUEST,
                        "limit must be between 1 and " + MAX_PAGE + "; leave it out for " + DEFAULT_PAGE + "."));
            }
            JobStatus wanted = parseStatus(status);
            JobCursor after = cursor == null || cursor.isBlank() ? null : JobCursor.decode(cursor);
            String owner = ownerId == null ? caller.userId() : ownerId;
            return guard.call(Dependency.MONGODB, ProblemCode.STATUS_UNAVAILABLE,
                            store.list(owner, wanted, after, limit).timeout(timeout))
                    .onErrorMap(e -> e instanceof SpoolProblem ? e : new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE, e));
        });
    }

    private static JobStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return JobStatus.fromWireName(status);
        } catch (IllegalArgumentException e) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "Unknown status '" + status + "'; use one of "
                    + Arrays.stream(JobStatus.values()).map(JobStatus::wireName).toList() + ".", e);
        }
    }

    private Mono<JobView> lookup(String jobId) {
        AtomicBoolean cacheFailed = new AtomicBoolean();
        Mono<JobView> cached = guard.call(Dependency.REDIS, ProblemCode.STATUS_UNAVAILABLE, cache.get(jobId).timeout(timeout))
                .onErrorResume(e -> {
                    LOG.warn("Redis did not answer for job {}; reading MongoDB: {}", jobId, e.toString());
                    cacheFailed.set(true);
                    return Mono.empty();
                })
                // a live view folded before the job's acceptance does not say whose it is yet; MongoDB may. A
                // tombstone has no owner either, but is the answer: MongoDB may not have folded the deletion yet.
                .filter(view -> view.ownerId() != null || view.status() == JobStatus.DELETED);
        return cached.switchIfEmpty(Mono.defer(() -> guard.call(Dependency.MONGODB, ProblemCode.STATUS_UNAVAILABLE,
                        store.find(jobId).timeout(timeout))
                .onErrorMap(e -> e instanceof SpoolProblem ? e : new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE, e))
                .flatMap(view -> cacheFailed.get() ? Mono.just(view) : recache(view))));
    }

    private Mono<JobView> recache(JobView view) {
        return cache.putIfAbsent(view)
                .timeout(timeout)
                .onErrorResume(e -> {
                    LOG.warn("Could not re-cache job {}: {}", view.jobId(), e.toString());
                    return Mono.empty();
                })
                .thenReturn(view);
    }
}
