package dev.spool.ingest.tus;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.config.TusProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.Acceptance;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.upload.Filenames;
import dev.spool.ingest.upload.TierPolicy;
import dev.spool.ingest.upload.UploadLimits;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Resumable uploads (tus 1.0): creation, offsets, appending, termination and completion into a job.
 *
 * <p>Appending holds the upload's lease for the whole request, so two requests never write to one upload at once.
 * Whole parts go to the S3 multipart upload as they fill; the tail goes to a staging object when the request ends,
 * however it ends, so the next request (here or on another instance) resumes from the last byte received. Without a
 * checksum, progress is saved after every part, so even a crashed instance loses at most one part's bytes; with one,
 * nothing of the request is kept unless the checksum matches.
 *
 * <p>The request's work runs detached from the HTTP exchange: a client that disconnects cancels its response, not
 * the saving of what it sent.
 */
@Service
public class TusUploadService {

    private static final Logger LOG = LoggerFactory.getLogger(TusUploadService.class);

    final TusUploadStore store;
    final TusObjects objects;
    final ContentTypeDetector detector;
    private final JobPublisher publisher;
    private final DependencyGuard guard;
    final TusSessions sessions;
    final MeterRegistry meters;
    final Clock clock;
    final long maxSize;
    private final long configuredPartSize;
    final Duration expiration;
    final Duration lockTtl;
    final long detectionBytes;

    public TusUploadService(TusUploadStore store, TusObjects objects, ContentTypeDetector detector,
            JobPublisher publisher, DependencyGuard guard, TusSessions sessions, IngestProperties ingest,
            TusProperties tus, MeterRegistry meters) {
        this.store = store;
        this.objects = objects;
        this.detector = detector;
        this.publisher = publisher;
        this.guard = guard;
        this.sessions = sessions;
        this.meters = meters;
        this.clock = Clock.systemUTC();
        this.maxSize = tus.maxSize().toBytes();
        this.configuredPartSize = ingest.partSize().toBytes();
        this.expiration = tus.expiration();
        this.lockTtl = tus.lockTtl();
        this.detectionBytes = tus.detectionBytes().toBytes();
    }

    /** The largest upload, as announced in {@code Tus-Max-Size}. */
    public long maxSize() {
        return maxSize;
    }

    /**
     * The bytes of one PATCH (or of a creation with upload).
     *
     * @param offset the client's {@code Upload-Offset}
     * @param length a deferred length announced now, or {@code null}
     * @param checksum the body's checksum, or {@code null}
     * @param contentLength the declared body length, or -1 when chunked
     * @param body the bytes
     */
    public record Append(long offset, Long length, UploadChecksum checksum, long contentLength,
            Flux<DataBuffer> body) {
    }

    /**
     * Creates an upload for {@code caller}: exactly one of {@code length} and {@code deferLength}.
     *
     * @return the new upload, nothing stored in S3 yet
     */
    public Mono<TusUpload> create(Caller caller, Long length, boolean deferLength, UploadMetadata metadata) {
        return Mono.defer(() -> {
            if (length == null == !deferLength) {
                throw new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH, "Send either Upload-Length with the file's "
                        + "size in bytes or Upload-Defer-Length: 1, not both and not neither.");
            }
            if (length != null) {
                checkLength(length, 0);
            }
            Priority priority = TierPolicy.choose(caller.tier(), metadata.priority());
            Instant now = clock.instant();
            String id = UUID.randomUUID().toString();
            long partSize = PartSizing.partSize(length != null ? length : maxSize, configuredPartSize);
            TusUpload upload = new TusUpload(id, caller.userId(), length, 0, partSize, null, List.of(), 0,
                    ResumableSha256.start().state(), metadata.raw(), Filenames.normalise(metadata.filename()),
                    metadata.filetype(), null, priority.wireName(), TusUpload.Status.UPLOADING, null, now,
                    now.plus(expiration));
            return store.create(upload).thenReturn(upload).doOnNext(created -> {
                count("created");
                try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", id)) {
                    LOG.info("Resumable upload {} created by {}: {} of {}", id, caller.userId(), created.filename(),
                            length == null ? "deferred length" : length + " bytes");
                }
            });
        });
    }

    /**
     * The upload as its creator sees it. An upload whose file is assembled but whose job was not yet acknowledged
     * (Kafka was down at the last byte) is finished here, so that a client that asks for its offset learns the job.
     */
    public Mono<TusUpload> find(Caller caller, String id) {
        return live(caller, id).flatMap(upload -> upload.status() == TusUpload.Status.ASSEMBLED
                ? withLease(id, this::publish) : Mono.just(upload));
    }

    /** Appends the bytes of {@code append} to the upload, or finishes it when they are its last. */
    public Mono<TusUpload> append(Caller caller, String id, Append append) {
        return live(caller, id).flatMap(upload -> {
            if (upload.status() != TusUpload.Status.UPLOADING) {
                return appendToFinished(upload, append);
            }
            String token = UUID.randomUUID().toString();
            return store.lock(id, token, clock.instant(), lockTtl)
                    .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.UPLOAD_LOCKED)))
                    .flatMap(locked -> Mono.defer(() -> {
                        TusSessions.Session session = sessions.open();
                        if (session == null) {
                            return unlock(locked.id(), token).then(Mono.error(
                                    new SpoolProblem(ProblemCode.SERVER_RESTARTING)));
                        }
                        // Subscribed here, not by the response: a client going away must not cancel the save,
                        // and its outcome is replayed to the response if anyone still waits for it.
                        Mono<TusUpload> work = new AppendSession(this, locked, token, append, session).run().cache();
                        work.subscribe(done -> { }, failure -> { });
                        return work;
                    }));
        });
    }

    /** Discards an upload and everything it stored; a finished upload's job is not affected. */
    public Mono<Void> terminate(Caller caller, String id) {
        return live(caller, id).flatMap(upload -> withLease(id, (locked, token) -> discard(locked, token)
                .doOnSuccess(done -> {
                    count("terminated");
                    try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", id)) {
                        LOG.info("Resumable upload {} terminated at {} bytes", id, locked.offset());
                    }
                })
                .thenReturn(locked))).then();
    }

    /** Discards every upload whose time ran out, up to {@code limit}; returns how many were discarded. */
    public Mono<Integer> sweepExpired(int limit) {
        Instant now = clock.instant();
        return store.expired(now, limit)
                .concatMap(upload -> {
                    String token = UUID.randomUUID().toString();
                    return store.lock(upload.id(), token, now, lockTtl)
                            .filter(locked -> locked.isExpired(now))
                            .flatMap(locked -> sweep(locked, token).thenReturn(1))
                            .onErrorResume(e -> {
                                LOG.warn("Could not sweep resumable upload {}; the next sweep tries again",
                                        upload.id(), e);
                                return Mono.empty();
                            });
                })
                .reduce(0, Integer::sum);
    }

    private Mono<Void> sweep(TusUpload upload, String token) {
        Mono<Void> cleanup = upload.status() == TusUpload.Status.COMPLETED
                ? objects.delete(upload.stagingKey()) : discardStored(upload);
        return cleanup.then(store.delete(upload.id(), token)).doOnSuccess(done -> {
            count(upload.status() == TusUpload.Status.COMPLETED ? "forgotten" : "expired");
            try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", upload.id())) {
                LOG.info("Resumable upload {} {} after {} of inactivity, at {} bytes", upload.id(),
                        upload.status() == TusUpload.Status.COMPLETED ? "forgotten" : "expired", expiration,
                        upload.offset());
            }
        });
    }

    /** The upload, if it exists, belongs to {@code caller} and has not expired. */
    private Mono<TusUpload> live(Caller caller, String id) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.UPLOAD_NOT_FOUND)))
                .map(upload -> {
                    if (!upload.ownerId().equals(caller.userId())) {
                        throw new SpoolProblem(ProblemCode.NOT_OWNER, "Only the user who created a resumable upload "
                                + "can resume, read or terminate it; check the upload URL.");
                    }
                    if (upload.status() != TusUpload.Status.COMPLETED && upload.isExpired(clock.instant())) {
                        throw new SpoolProblem(ProblemCode.UPLOAD_EXPIRED, "The upload was inactive for more than "
                                + expiration.toHours() + " h and its bytes were discarded; start a new upload.");
                    }
                    return upload;
                });
    }

    /**
     * A PATCH to an upload whose bytes all arrived: a retry of its last request gets the same answer. Its (empty)
     * body is read first, since a client that sent {@code Expect: 100-continue} (tus-java-client does) takes a
     * final answer before {@code 100 Continue} as a refusal.
     */
    private Mono<TusUpload> appendToFinished(TusUpload upload, Append append) {
        if (append.offset() != upload.offset()) {
            return Mono.error(offsetMismatch(upload.offset()));
        }
        Mono<Void> emptyBody = append.body()
                .doOnNext(chunk -> {
                    int count = chunk.readableByteCount();
                    DataBufferUtils.release(chunk);
                    if (count > 0) {
                        throw new SpoolProblem(ProblemCode.UPLOAD_LENGTH_EXCEEDED, "Every byte of this upload has "
                                + "arrived; send no more bytes.");
                    }
                })
                .then();
        return emptyBody.then(Mono.defer(() -> upload.status() == TusUpload.Status.ASSEMBLED
                ? withLease(upload.id(), this::publish) : Mono.just(upload)));
    }

    /** Runs {@code work} holding the upload's lease, given back afterwards whatever happens. */
    private Mono<TusUpload> withLease(String id, BiFunction<TusUpload, String, Mono<TusUpload>> work) {
        String token = UUID.randomUUID().toString();
        return store.lock(id, token, clock.instant(), lockTtl)
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.UPLOAD_LOCKED)))
                .flatMap(locked -> work.apply(locked, token)
                        .flatMap(result -> unlock(id, token).thenReturn(result))
                        .onErrorResume(e -> unlock(id, token).then(Mono.error(e))));
    }

    /** Publishes the job of an assembled upload and records it as completed. */
    Mono<TusUpload> publish(TusUpload upload, String token) {
        Instant now = clock.instant();
        JobAccepted job = new JobAccepted(upload.id(), upload.ownerId(), upload.filename(), upload.length(),
                upload.sha256(), upload.contentType(), upload.declaredType(), Priority.fromWireName(upload.priority()),
                objects.bucket(), upload.objectKey(), 1, now);
        return guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED, publisher.publish(List.of(Acceptance.of(job))))
                .onErrorMap(e -> !(e instanceof SpoolProblem), e -> new SpoolProblem(ProblemCode.PUBLISH_FAILED,
                        "The file is stored but its job could not be queued yet; resume the upload (or ask for its "
                                + "offset) after the Retry-After delay to queue it.", e))
                .then(Mono.defer(() -> {
                    TusUpload completed = upload.completed().expiringAt(now.plus(expiration));
                    return store.save(completed, token, now.plus(lockTtl)).thenReturn(completed);
                }))
                .doOnNext(completed -> {
                    count("completed");
                    meters.counter("spool.uploads", "outcome", "accepted", "code", "none").increment();
                    meters.summary("spool.upload.bytes").record(completed.length());
                    try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", completed.id())) {
                        LOG.info("Job {} accepted: {} bytes of {} from {} at priority {} (resumable upload)",
                                completed.id(), completed.length(), completed.contentType(), completed.ownerId(),
                                completed.priority());
                    }
                })
                .flatMap(completed -> objects.delete(completed.stagingKey()).onErrorResume(e -> Mono.empty())
                        .thenReturn(completed));
    }

    /** Removes an upload and everything it stored; nothing is kept of an unfinished upload. */
    Mono<Void> discard(TusUpload upload, String token) {
        Mono<Void> stored = upload.status() == TusUpload.Status.COMPLETED
                ? objects.delete(upload.stagingKey()) : discardStored(upload);
        return stored.then(store.delete(upload.id(), token));
    }

    /** The multipart upload, the staging object and an assembled object that never became a job. */
    private Mono<Void> discardStored(TusUpload upload) {
        Mono<Void> parts = upload.s3UploadId() == null ? Mono.empty()
                : objects.abort(upload.objectKey(), upload.s3UploadId());
        return parts.then(objects.delete(upload.stagingKey())).then(objects.delete(upload.objectKey()));
    }

    Mono<Void> unlock(String id, String token) {
        return store.unlock(id, token).onErrorResume(e -> {
            LOG.warn("Could not give back the lease of upload {}; it expires within {}", id, lockTtl, e);
            return Mono.empty();
        });
    }

    void checkLength(long length, long offset) {
        if (length == 0) {
            throw new SpoolProblem(ProblemCode.EMPTY_FILE);
        }
        if (length < 0 || length < offset) {
            throw new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH);
        }
        if (length > maxSize) {
            throw new SpoolProblem(ProblemCode.FILE_TOO_LARGE, "The file is " + UploadLimits.describe(length)
                    + ", larger than the limit of " + UploadLimits.describe(maxSize)
                    + " per resumable upload; split or compress it and upload it again.")
                    .withProperty("limitBytes", maxSize)
                    .withProperty("sizeBytes", length);
        }
    }

    static SpoolProblem offsetMismatch(long offset) {
        return new SpoolProblem(ProblemCode.OFFSET_MISMATCH, "The upload has " + offset + " bytes, so the next "
                + "request must carry Upload-Offset: " + offset + "; ask for the offset with HEAD and resume from there.")
                .withProperty("offset", offset)
                .withHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(offset));
    }

    void count(String outcome) {
        meters.counter("spool.tus.uploads", "outcome", outcome).increment();
    }

}
