package dev.spool.ingest.tus;

import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.content.ContentTypePolicy;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.upload.UploadLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Schedulers;

/**
 * One PATCH (or creation-with-upload) of a resumable upload: its bytes going into an upload whose lease it holds.
 * {@code committed} is the state last saved; {@code working} adds what this request stored since, and becomes
 * committed when saved. The tail buffer holds exactly the bytes after {@code working}'s parts. Whole parts go to S3
 * as they fill; the tail is staged when the request ends, however it ends; with a checksum nothing is kept unless
 * it matches.
 */
final class AppendSession {

    private static final Logger LOG = LoggerFactory.getLogger(AppendSession.class);

    private final TusUploadStore store;
    private final TusObjects objects;
    private final TusLifecycle lifecycle;
    private final TusLengthRules lengths;
    private final ContentTypeDetector detector;
    private final TusSessions sessions;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Duration expiration;
    private final Duration lockTtl;
    private final long detectionBytes;
    private final String token;
    private final TusUploadService.Append append;
    private final TusSessions.Session session;
    private final MessageDigest checksum;
    private final TailBuffer tail;
    private TusUpload committed;
    private TusUpload working;
    private final LiveDigests digests;
    /** The running SHA-256 of the parts, or {@code null} when it was lost and the object is hashed at the end. */
    private final RunningSha256 digest;
    private boolean assembled;
    private long arrived;
    private Disposable renewal;

    /**
     * What every append works with, made once by the service.
     *
     * @param expiration how long an upload lives after its last change
     * @param lockTtl how long a lease lasts unless renewed
     * @param detectionBytes how much of the start of a file its type is judged by
     */
    record Collaborators(TusUploadStore store, TusObjects objects, TusLifecycle lifecycle, TusLengthRules lengths,
            ContentTypeDetector detector, TusSessions sessions, LiveDigests digests, MeterRegistry meters, Clock clock,
            Duration expiration, Duration lockTtl, long detectionBytes) {
    }

    AppendSession(Collaborators with, TusUpload locked, String token, TusUploadService.Append append,
            TusSessions.Session session) {
        this.store = with.store();
        this.objects = with.objects();
        this.lifecycle = with.lifecycle();
        this.lengths = with.lengths();
        this.detector = with.detector();
        this.sessions = with.sessions();
        this.digests = with.digests();
        this.meters = with.meters();
        this.clock = with.clock();
        this.expiration = with.expiration();
        this.lockTtl = with.lockTtl();
        this.detectionBytes = with.detectionBytes();
        this.token = token;
        this.append = append;
        this.session = session;
        this.checksum = append.checksum() == null ? null : append.checksum().newDigest();
        this.tail = new TailBuffer(locked.partSize());
        this.committed = locked;
        this.working = locked;
        this.digest = digests.resume(locked.id(), locked.partBytes());
    }

    Mono<TusUpload> run() {
        return Mono.defer(this::begin)
                .then(Mono.defer(this::receive))
                .flatMap(interrupted -> interrupted ? keepUnlessChecksummed().then(Mono.error(interruption()))
                        : finishRequest())
                .flatMap(result -> lifecycle.unlock(result.id(), token).thenReturn(result))
                .onErrorResume(this::failed)
                .doFinally(signal -> {
                    if (renewal != null) {
                        renewal.dispose();
                    }
                    // A cancelled request may still be hashing a part; its digest cannot be trusted to stay put.
                    if (digest != null && !assembled && signal != SignalType.CANCEL) {
                        digests.keep(committed.id(), digest);
                    }
                    sessions.close(session);
                });
    }

    private Mono<Void> begin() {
        if (append.offset() != committed.offset()) {
            return Mono.error(TusLengthRules.offsetMismatch(committed.offset()));
        }
        if (append.length() != null) {
            if (committed.length() != null && !committed.length().equals(append.length())) {
                return Mono.error(new SpoolProblem(ProblemCode.INVALID_UPLOAD_LENGTH, "The upload's length is "
                        + committed.length() + " bytes and cannot change; leave Upload-Length out."));
            }
            lengths.checkLength(append.length(), committed.offset());
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
        long limit = working.length() != null ? working.length() : lengths.maxSize();
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
                            + UploadLimits.describe(lengths.maxSize()) + " per resumable upload; split or compress it.")
                            .withProperty("limitBytes", lengths.maxSize()));
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
            return lifecycle.discard(working, token).onErrorResume(e -> Mono.empty())
                    .then(Mono.fromRunnable(() -> {
                        lifecycle.count("refused");
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
     * Stores the full tail as the next part. The file digest takes the part while S3 does. Should the upload fail, the
     * digest is ahead of the saved parts, so the next request finds it lost and the object is hashed at the end.
     */
    private Mono<Void> storePart() {
        byte[] part = tail.part();
        return startMultipart().then(Mono.defer(() -> {
            int number = working.parts().size() + 1;
            Mono<Integer> hashed = Mono.fromCallable(() -> {
                if (digest != null) {
                    digest.update(part);
                }
                return part.length;
            }).subscribeOn(Schedulers.parallel());
            return Mono.zip(objects.uploadPart(working.objectKey(), working.s3UploadId(), number, part), hashed)
                    .flatMap(stored -> {
                        working = working.withPart(new TusUpload.Part(number, stored.getT1(), part.length));
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
                        if (digest != null) {
                            digest.update(bytes);
                        }
                        working = working.withPart(new TusUpload.Part(number, etag, bytes.length));
                        tail.clear();
                    })
                    .then();
        }));
        // Every part is recorded before S3 assembles them: a crash after the assembly then leaves a record that says
        // all bytes are here, which the next request finishes, rather than one that asks for bytes S3 no longer takes.
        return last
                .then(Mono.defer(() -> commit(working)))
                .then(Mono.defer(() -> objects.complete(working.objectKey(), working.s3UploadId(),
                        working.parts())))
                .then(Mono.defer(() -> objects.size(working.objectKey())))
                .flatMap(size -> {
                    if (size.longValue() != working.length().longValue()) {
                        LOG.warn("Assembled {} bytes of {} for upload {}", size, working.length(), working.id());
                        return Mono.error(new SpoolProblem(ProblemCode.UPLOAD_INCOMPLETE));
                    }
                    return fileSha256();
                })
                .flatMap(sha256 -> {
                    TusUpload whole = working.assembled(sha256, clock.instant());
                    assembled = true;
                    digests.forget(whole.id());
                    return commit(whole).thenReturn(whole);
                })
                .flatMap(assembled -> lifecycle.complete(assembled, token));
    }

    /**
     * The assembled file's SHA-256: the running digest's when it took every part, else (lost on the way) the object's,
     * read back from S3 once.
     */
    private Mono<String> fileSha256() {
        if (digest != null && digest.hashed() == working.partBytes()) {
            return Mono.just(digest.hex());
        }
        LOG.info("Hashing resumable upload {} from storage: its running digest was lost between requests",
                working.id());
        return objects.sha256(working.objectKey());
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
        return kept.then(lifecycle.unlock(working.id(), token))
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

    /** A refusal of the content, after which the upload no longer exists. */
    static final class Refused extends RuntimeException {

        private final SpoolProblem problem;

        Refused(SpoolProblem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }
}
