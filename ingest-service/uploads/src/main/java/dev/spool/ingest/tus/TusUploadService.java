package dev.spool.ingest.tus;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.storage.UploadStorageProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobAcceptance;
import dev.spool.ingest.servicelevel.ServiceLevels;
import dev.spool.ingest.servicelevel.UploadRequest;
import dev.spool.ingest.upload.Filenames;
import dev.spool.ingest.upload.TierPolicy;
import dev.spool.schemas.event.Priority;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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

    private final TusUploadStore store;
    private final TusObjects objects;
    private final TusSessions sessions;
    private final Clock clock;
    private final long configuredPartSize;
    private final Duration expiration;
    private final TusLengthRules lengths;
    private final TusLifecycle lifecycle;
    private final AppendSession.Collaborators appends;
    private final ServiceLevels levels;

    public TusUploadService(TusUploadStore store, TusObjects objects, ContentTypeDetector detector,
            JobAcceptance jobs, TusSessions sessions, LiveDigests digests, UploadStorageProperties uploads,
            TusProperties tus, ServiceLevels levels, MeterRegistry meters) {
        this.store = store;
        this.levels = levels;
        this.objects = objects;
        this.sessions = sessions;
        this.clock = Clock.systemUTC();
        this.configuredPartSize = uploads.partSize().toBytes();
        this.expiration = tus.expiration();
        this.lengths = new TusLengthRules(tus.maxSize().toBytes());
        this.lifecycle = new TusLifecycle(store, objects, jobs, meters, clock, expiration, tus.lockTtl());
        this.appends = new AppendSession.Collaborators(store, objects, lifecycle, lengths, detector, sessions, digests,
                meters, clock, expiration, tus.lockTtl(), tus.detectionBytes().toBytes());
    }

    /** The largest upload, as announced in {@code Tus-Max-Size}. */
    public long maxSize() {
        return lengths.maxSize();
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
                lengths.checkLength(length, 0);
            }
            Priority priority = TierPolicy.choose(caller.tier(), metadata.priority());
            levels.check(UploadRequest.NEW, priority);
            Instant now = clock.instant();
            String id = UUID.randomUUID().toString();
            long partSize = PartSizing.partSize(length != null ? length : lengths.maxSize(), configuredPartSize);
            TusUpload upload = new TusUpload(id, caller.userId(), length, 0, partSize, null, List.of(), 0,
                    metadata.raw(), Filenames.normalise(metadata.filename()),
                    metadata.filetype(), null, priority.wireName(), TusUpload.Status.UPLOADING, null, now,
                    now.plus(expiration), null);
            return store.create(upload).thenReturn(upload).doOnNext(created -> {
                lifecycle.count("created");
                try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", id)) {
                    LOG.info("Resumable upload {} created by {}: {} of {}", id, caller.userId(), created.filename(),
                            length == null ? "deferred length" : length + " bytes");
                }
            });
        });
    }

    /**
     * The upload as its creator sees it. An upload whose bytes all arrived but whose job is not recorded is finished
     * here, so that a client that asks for its offset learns the job: one assembled whose job was not acknowledged
     * (Kafka was down at the last byte, or the instance died around the publish), or one whose instance died while S3
     * assembled it.
     */
    public Mono<TusUpload> find(Caller caller, String id) {
        return live(caller, id).flatMap(upload -> {
            if (upload.status() == TusUpload.Status.ASSEMBLED) {
                return lifecycle.withLease(id, lifecycle::completeFound);
            }
            if (upload.status() == TusUpload.Status.UPLOADING && upload.isFullyReceived()) {
                return appendTo(upload, finishing(upload));
            }
            return Mono.just(upload);
        });
    }

    /** Appends the bytes of {@code append} to the upload, or finishes it when they are its last. */
    public Mono<TusUpload> append(Caller caller, String id, Append append) {
        return live(caller, id).flatMap(upload -> upload.status() != TusUpload.Status.UPLOADING
                ? appendToFinished(upload, append) : appendTo(upload, append));
    }

    private Mono<TusUpload> appendTo(TusUpload upload, Append append) {
        String token = UUID.randomUUID().toString();
        return lifecycle.lock(upload.id(), token, clock.instant())
                .switchIfEmpty(Mono.error(() -> new SpoolProblem(ProblemCode.UPLOAD_LOCKED)))
                .flatMap(locked -> Mono.defer(() -> run(locked, token, append)));
    }

    /** Runs an append session on an upload whose lease {@code token} holds; the session gives the lease back. */
    private Mono<TusUpload> run(TusUpload locked, String token, Append append) {
        TusSessions.Session session = sessions.open();
        if (session == null) {
            return lifecycle.unlock(locked.id(), token).then(Mono.error(new SpoolProblem(ProblemCode.SERVER_RESTARTING)));
        }
        // Subscribed here, not by the response: a client going away must not cancel the save, and its outcome is
        // replayed to the response if anyone still waits for it.
        Mono<TusUpload> work = new AppendSession(appends, locked, token, append, session).run().cache();
        work.subscribe(done -> { }, failure -> { });
        return work;
    }

    /** No bytes, at the end of an upload whose bytes all arrived: assembles and completes what is stored. */
    private static Append finishing(TusUpload upload) {
        return new Append(upload.offset(), null, null, 0, Flux.empty());
    }

    /** Discards an upload and everything it stored; a finished upload's job is not affected. */
    public Mono<Void> terminate(Caller caller, String id) {
        return live(caller, id).flatMap(upload -> lifecycle.withLease(id, (locked, token) -> lifecycle.discard(locked, token)
                .doOnSuccess(done -> {
                    lifecycle.count("terminated");
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
                    return lifecycle.lock(upload.id(), token, now)
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
        if (upload.status() == TusUpload.Status.ASSEMBLED) {
            // Every byte arrived: the file is the user's, so its job is made (once), not its bytes thrown away.
            return lifecycle.completeFound(upload, token)
                    .flatMap(completed -> lifecycle.unlock(completed.id(), token))
                    .onErrorResume(e -> lifecycle.unlock(upload.id(), token).then(Mono.error(e)));
        }
        if (upload.status() == TusUpload.Status.UPLOADING && upload.isFullyReceived()) {
            return run(upload, token, finishing(upload)).then();
        }
        return lifecycle.discard(upload, token).doOnSuccess(done -> {
            lifecycle.count(upload.status() == TusUpload.Status.COMPLETED ? "forgotten" : "expired");
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
            return Mono.error(TusLengthRules.offsetMismatch(upload.offset()));
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
                ? lifecycle.withLease(upload.id(), lifecycle::completeFound) : Mono.just(upload)));
    }
}
