package dev.spool.ingest.tus;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.config.TusProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.content.ContentTypePolicy;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.upload.Filenames;
import dev.spool.ingest.upload.TierPolicy;
import dev.spool.ingest.upload.UploadLimits;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.topic.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
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
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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

    private final TusUploadStore store;
    private final TusObjects objects;
    private final ContentTypeDetector detector;
    private final JobPublisher publisher;
    private final DependencyGuard guard;
    private final TusSessions sessions;
    private final MeterRegistry meters;
    private final Clock clock;
    private final long maxSize;
    private final long configuredPartSize;
    private final Duration expiration;
    private final Duration lockTtl;
    private final long detectionBytes;

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
                        Mono<TusUpload> work = new Receiving(locked, token, append, session).run().cache();
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
    private Mono<TusUpload> publish(TusUpload upload, String token) {
        Instant now = clock.instant();
        JobAccepted job = new JobAccepted(upload.id(), upload.ownerId(), upload.filename(), upload.length(),
                upload.sha256(), upload.contentType(), upload.declaredType(), Priority.fromWireName(upload.priority()),
                objects.bucket(), upload.objectKey(), 1, now);
        return guard.call(Dependency.KAFKA, ProblemCode.PUBLISH_FAILED, publisher.publish(List.of(job)))
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
    private Mono<Void> discard(TusUpload upload, String token) {
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

    private Mono<Void> unlock(String id, String token) {
        return store.unlock(id, token).onErrorResume(e -> {
            LOG.warn("Could not give back the lease of upload {}; it expires within {}", id, lockTtl, e);
            return Mono.empty();
        });
    }

    private void checkLength(long length, long offset) {
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

    private static SpoolProblem offsetMismatch(long offset) {
        return new SpoolProblem(ProblemCode.OFFSET_MISMATCH, "The upload has " + offset + " bytes, so the next "
                + "request must carry Upload-Offset: " + offset + "; ask for the offset with HEAD and resume from there.")
                .withProperty("offset", offset)
                .withHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(offset));
    }

    private void count(String outcome) {
        meters.counter("spool.tus.uploads", "outcome", outcome).increment();
    }

    /**
     * One request's bytes going into an upload whose lease it holds. {@code committed} is the state last saved;
     * {@code working} adds what this request stored since, and becomes committed when saved. The tail buffer holds
     * exactly the bytes after {@code working}'s parts.
     */
    private final class Receiving {

        private final String token;
        private final Append append;
        private final TusSessions.Session session;
        private final MessageDigest checksum;
        private final TailBuffer tail;
        private TusUpload committed;
        private TusUpload working;
        private ResumableSha256 digest;
        private long arrived;
        private Disposable renewal;

        Receiving(TusUpload locked, String token, Append append, TusSessions.Session session) {
            this.token = token;
            this.append = append;
            this.session = session;
            this.checksum = append.checksum() == null ? null : append.checksum().newDigest();
            this.tail = new TailBuffer(locked.partSize());
            this.committed = locked;
            this.working = locked;
            this.digest = ResumableSha256.resume(locked.digestState());
        }

        Mono<TusUpload> run() {
            return Mono.defer(this::begin)
                    .then(Mono.defer(this::receive))
                    .flatMap(interrupted -> interrupted ? keepUnlessChecksummed().then(Mono.error(interruption()))
                            : finishRequest())
                    .flatMap(result -> unlock(result.id(), token).thenReturn(result))
                    .onErrorResume(this::failed)
                    .doFinally(signal -> {
                        if (renewal != null) {
                            renewal.dispose();
                        }
                        sessions.close(session);
                    });
        }

        private Mono<Void> begin() {
            if (append.offset() != committed.offset()) {
                return Mono.error(offsetMismatch(committed.offset()));
            }
            if (append.length() != null) {
                if (committed.length() != null && !committed.length().equals(append.length())) {
                    return Mono.error(new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH, "The upload's length is "
                            + committed.length() + " bytes and cannot change; leave Upload-Length out."));
                }
                checkLength(append.length(), committed.offset());
                committed = committed.withLength(append.length());
                working = committed;
            }
            long every = Math.max(1000, lockTtl.toMillis() / 3);
            renewal = Flux.interval(Duration.ofMillis(every))
                    .concatMap(tick -> store.renew(working.id(), token, clock.instant().plus(lockTtl))
                            .onErrorResume(e -> Mono.just(true)))
                    .subscribe();
            return committed.stagedBytes() == 0 ? Mono.empty()
                    : objects.readStaged(committed.stagingKey(), committed.stagedBytes()).doOnNext(tail::restore).then();
        }

        /** Reads the body; {@code true} when it ended early (cut off, or the instance stopping). */
        private Mono<Boolean> receive() {
            long limit = working.length() != null ? working.length() : maxSize;
            return append.body()
                    .takeUntilOther(session.stopSignal())
                    // A body cut off mid-part waits for the part in flight, so the tail stays exactly what was stored.
                    .concatMapDelayError(chunk -> take(chunk, limit), false, 1)
                    .then(Mono.fromSupplier(() -> append.contentLength() >= 0 && arrived < append.contentLength()))
                    .onErrorResume(e -> !(e instanceof SpoolProblem || e instanceof Refused), e -> Mono.just(true))
                    .map(early -> early || session.isStopping());
        }

        private Mono<Void> take(DataBuffer chunk, long limit) {
            int count = chunk.readableByteCount();
            if (append.offset() + arrived + count > limit) {
                DataBufferUtils.release(chunk);
                return Mono.error(working.length() != null
                        ? new SpoolProblem(ProblemCode.UPLOAD_LENGTH_EXCEEDED, "The upload was announced with "
                                + working.length() + " bytes and this request would go past them; check the file's "
                                + "size and start a new upload.")
                        : new SpoolProblem(ProblemCode.FILE_TOO_LARGE, "The file is larger than the limit of "
                                + UploadLimits.describe(maxSize) + " per resumable upload; split or compress it.")
                                .withProperty("limitBytes", maxSize));
            }
            arrived += count;
            meters.counter("spool.tus.bytes").increment(count);
            if (checksum != null) {
                try (DataBuffer.ByteBufferIterator buffers = chunk.readableByteBuffers()) {
                    buffers.forEachRemaining(checksum::update);
                }
            }
            return fill(chunk).doFinally(signal -> DataBufferUtils.release(chunk));
        }

        /** Moves the chunk into the tail, storing each part it completes before taking more. */
        private Mono<Void> fill(DataBuffer chunk) {
            return Mono.defer(() -> {
                tail.fill(chunk);
                Mono<Void> judged = judgeIfDue(false);
                if (!tail.isFull()) {
                    return judged;
                }
                return judged.then(Mono.defer(this::storePart))
                        .then(Mono.defer(() -> chunk.readableByteCount() > 0 ? fill(chunk) : Mono.<Void>empty()));
            });
        }

        /** Judges the content once its first bytes are here (or, for a shorter file, all of it). */
        private Mono<Void> judgeIfDue(boolean last) {
            if (working.contentType() != null || !working.parts().isEmpty()) {
                return Mono.empty();
            }
            if (!last && tail.size() < Math.min(detectionBytes, working.partSize())) {
                return Mono.empty();
            }
            try {
                String type = ContentTypePolicy.judge(detector.detect(tail.copy()), working.declaredType(),
                        working.filename());
                working = working.withContentType(type);
                committed = committed.withContentType(type);
                return Mono.empty();
            } catch (SpoolProblem refused) {
                return discard(working, token).onErrorResume(e -> Mono.empty())
                        .then(Mono.fromRunnable(() -> {
                            count("refused");
                            meters.counter("spool.uploads", "outcome", "rejected", "code", refused.code().code())
                                    .increment();
                            try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", working.id())) {
                                LOG.info("Resumable upload {} refused as {}: {}", working.id(), refused.code().code(),
                                        refused.detail());
                            }
                        }))
                        .then(Mono.error(new Refused(refused)));
            }
        }

        /**
         * Stores the full tail as the next part. The file digest takes the part while S3 does: the saveable SHA-256
         * is several times slower than the JDK's, and in turn would add its time to every part. Should the upload
         * fail, the digest is ahead of the saved state, but the request ends there and the saved state is intact.
         */
        private Mono<Void> storePart() {
            byte[] part = tail.part();
            return startMultipart().then(Mono.defer(() -> {
                int number = working.parts().size() + 1;
                Mono<byte[]> hashed = Mono.fromCallable(() -> {
                    digest.update(part, 0, part.length);
                    return digest.state();
                }).subscribeOn(Schedulers.parallel());
                return Mono.zip(objects.uploadPart(working.objectKey(), working.s3UploadId(), number, part), hashed)
                        .flatMap(stored -> {
                            working = working.withPart(new TusUpload.Part(number, stored.getT1(), part.length),
                                    stored.getT2());
                            tail.clear();
                            return checksum == null ? commit(working) : Mono.empty();
                        });
            }));
        }

        /** Creates the multipart upload with the first part, and saves its id at once so it is never orphaned. */
        private Mono<Void> startMultipart() {
            if (working.s3UploadId() != null) {
                return Mono.empty();
            }
            return objects.startMultipart(working.objectKey(), working.contentType())
                    .flatMap(uploadId -> {
                        working = working.withS3UploadId(uploadId);
                        return commit(committed.withS3UploadId(uploadId));
                    });
        }

        /** The body ended as announced: the upload is complete, or its tail is staged for the next request. */
        private Mono<TusUpload> finishRequest() {
            if (checksum != null && !append.checksum().matches(checksum.digest())) {
                return Mono.error(new SpoolProblem(ProblemCode.CHECKSUM_MISMATCH));
            }
            long total = working.partBytes() + tail.size();
            if (working.length() != null && total == working.length()) {
                return judgeIfDue(true).then(Mono.defer(this::assemble));
            }
            return keep().then(Mono.fromSupplier(() -> committed));
        }

        /** Without a checksum, what arrived of a request cut short is kept; with one, it cannot be trusted. */
        private Mono<Void> keepUnlessChecksummed() {
            return checksum == null ? keep() : Mono.empty();
        }

        /** Stages the tail and saves the offset, so the next request resumes after the last byte received. */
        private Mono<Void> keep() {
            if (tail.size() == working.stagedBytes() && working.partBytes() == committed.partBytes()) {
                return working == committed ? Mono.empty() : commit(working);
            }
            Mono<Void> staged = tail.size() == 0 ? Mono.empty() : objects.stage(working.stagingKey(), tail.copy());
            return staged.then(Mono.defer(() -> commit(working.withStaged(tail.size()))));
        }

        private Mono<TusUpload> assemble() {
            Mono<Void> last = tail.size() == 0 ? Mono.empty() : startMultipart().then(Mono.defer(() -> {
                byte[] bytes = tail.copy();
                int number = working.parts().size() + 1;
                return objects.uploadPart(working.objectKey(), working.s3UploadId(), number, bytes)
                        .doOnNext(etag -> {
                            digest.update(bytes, 0, bytes.length);
                            working = working.withPart(new TusUpload.Part(number, etag, bytes.length), digest.state());
                            tail.clear();
                        })
                        .then();
            }));
            return last
                    .then(Mono.defer(() -> objects.complete(working.objectKey(), working.s3UploadId(),
                            working.parts())))
                    .then(Mono.defer(() -> objects.size(working.objectKey())))
                    .flatMap(size -> {
                        if (size.longValue() != working.length().longValue()) {
                            LOG.warn("Assembled {} bytes of {} for upload {}", size, working.length(), working.id());
                            return Mono.error(new SpoolProblem(ProblemCode.UPLOAD_INCOMPLETE));
                        }
                        TusUpload assembled = working.assembled(digest.hex());
                        return commit(assembled).thenReturn(assembled);
                    })
                    .flatMap(assembled -> publish(assembled, token));
        }

        private Mono<Void> commit(TusUpload state) {
            Instant now = clock.instant();
            TusUpload saved = state.expiringAt(now.plus(expiration));
            return store.save(saved, token, now.plus(lockTtl)).doOnSuccess(done -> {
                committed = saved;
                if (working.parts().size() == saved.parts().size()) {
                    working = saved;
                }
            });
        }

        /** Ends the request: keeps what arrived when that is safe, gives the lease back, and reports. */
        private Mono<TusUpload> failed(Throwable error) {
            if (error instanceof Refused refused) {
                return Mono.error(refused.problem);
            }
            Mono<Void> kept = !isStorageFailure(error) ? keepUnlessChecksummed().onErrorResume(e -> {
                LOG.warn("Could not save the progress of upload {}; it resumes from {} bytes", working.id(),
                        committed.offset(), e);
                return Mono.empty();
            }) : Mono.empty();
            return kept.then(unlock(working.id(), token))
                    .then(Mono.error(error instanceof SpoolProblem ? error
                            : new SpoolProblem(ProblemCode.INTERNAL, error)));
        }

        private boolean isStorageFailure(Throwable error) {
            return error instanceof SpoolProblem problem && problem.code() == ProblemCode.STORAGE_UNAVAILABLE;
        }

        private SpoolProblem interruption() {
            return session.isStopping() ? new SpoolProblem(ProblemCode.SERVER_RESTARTING)
                    .withHeader(TusHeaders.UPLOAD_OFFSET, Long.toString(committed.offset()))
                    : new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "The request body ended before its "
                            + "Content-Length; the bytes received were kept. Ask for the offset with HEAD and resume.");
        }
    }

    /** A refusal of the content, after which the upload no longer exists. */
    private static final class Refused extends RuntimeException {

        private final SpoolProblem problem;

        Refused(SpoolProblem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }
}
