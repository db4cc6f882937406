package dev.spool.ingest.tus;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.Acceptance;
import dev.spool.ingest.publish.JobAcceptance;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The changes of a resumable upload's state that need its lease: taking and giving it back, completing an
 * assembled upload into its job, and discarding what an upload stored. Shared by the service's requests and by each
 * {@link AppendSession}.
 */
final class TusLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TusLifecycle.class);

    private final TusUploadStore store;
    private final TusObjects objects;
    private final JobAcceptance jobs;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration expiration;
    private final Duration lockTtl;

    TusLifecycle(TusUploadStore store, TusObjects objects, JobAcceptance jobs, MeterRegistry meters, Clock clock,
            Duration expiration, Duration lockTtl) {
        this.store = store;
        this.objects = objects;
        this.jobs = jobs;
        this.meters = meters;
        this.clock = clock;
        this.expiration = expiration;
        this.lockTtl = lockTtl;
    }

    /** Takes the upload's lease; empty when another request holds it. */
    Mono<TusUpload> lock(String id, String token, Instant now) {
        return store.lock(id, token, now, lockTtl);
    }

    /** Runs {@code work} holding the upload's lease, given back afterwards whatever happens. */
    Mono<TusUpload> withLease(String id, BiFunction<TusUpload, String, Mono<TusUpload>> work) {
        String token = UUID.randomUUID().toString();
        return lock(id, token, clock.instant())
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.UPLOAD_LOCKED)))
                .flatMap(locked -> work.apply(locked, token)
                        .flatMap(result -> unlock(id, token).thenReturn(result))
                        .onErrorResume(e -> unlock(id, token).then(Mono.error(e))));
    }

    /** Gives the lease back; when that fails, it lapses by itself within the lease time. */
    Mono<Void> unlock(String id, String token) {
        return store.unlock(id, token).onErrorResume(e -> {
            LOG.warn("Could not give back the lease of upload {}; it expires within {}", id, lockTtl, e);
            return Mono.empty();
        });
    }

    /** Makes the job of an upload this lease just assembled, and records the upload as completed. */
    Mono<TusUpload> complete(TusUpload upload, String token) {
        return recordCompleted(upload, token, now -> jobs.accept(List.of(Acceptance.of(job(upload, now))),
                JobAcceptance.Route.RESUMABLE));
    }

    /**
     * Finishes an upload found assembled: an instance may have published its job and died before recording so, or
     * lost Kafka's answer, so Kafka is asked before the job is made; either way the upload ends with exactly one job.
     */
    Mono<TusUpload> completeFound(TusUpload upload, String token) {
        return recordCompleted(upload, token, now -> jobs.acceptOnce(Acceptance.of(job(upload, now)),
                upload.publishableSince(), JobAcceptance.Route.RESUMABLE));
    }

    private Mono<TusUpload> recordCompleted(TusUpload upload, String token, Function<Instant, Mono<Void>> accept) {
        Instant now = clock.instant();
        return accept.apply(now)
                .then(Mono.defer(() -> {
                    TusUpload completed = upload.completed().expiringAt(now.plus(expiration));
                    return store.save(completed, token, now.plus(lockTtl)).thenReturn(completed);
                }))
                .doOnNext(completed -> count("completed"))
                .flatMap(completed -> objects.delete(completed.stagingKey()).onErrorResume(e -> Mono.empty())
                        .thenReturn(completed));
    }

    private JobAccepted job(TusUpload upload, Instant now) {
        return new JobAccepted(upload.id(), upload.ownerId(), upload.filename(), upload.length(), upload.sha256(),
                upload.contentType(), upload.declaredType(), Priority.fromWireName(upload.priority()),
                objects.bucket(), upload.objectKey(), 1, now);
    }

    /** Removes an upload and everything it stored; of a completed one, only its record and staging object. */
    Mono<Void> discard(TusUpload upload, String token) {
        return discardObjects(upload).then(store.delete(upload.id(), token));
    }

    /** What the upload stored: for an unfinished one, its parts, staging object and any assembled object. */
    private Mono<Void> discardObjects(TusUpload upload) {
        if (upload.status() == TusUpload.Status.COMPLETED) {
            return objects.delete(upload.stagingKey());
        }
        Mono<Void> parts = upload.s3UploadId() == null ? Mono.empty()
                : objects.abort(upload.objectKey(), upload.s3UploadId());
        return parts.then(objects.delete(upload.stagingKey())).then(objects.delete(upload.objectKey()));
    }

    /** Counts a resumable upload's step ({@code created}, {@code completed}, {@code expired}, ...). */
    void count(String outcome) {
        meters.counter("spool.tus.uploads", "outcome", outcome).increment();
    }
}
