package dev.spool.ingest.upload;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.content.ContentTypePolicy;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.Acceptance;
import dev.spool.ingest.servicelevel.ServiceLevels;
import dev.spool.ingest.servicelevel.UploadRequest;
import dev.spool.ingest.storage.ExpectedDigest;
import dev.spool.ingest.storage.FileChecks;
import dev.spool.ingest.storage.FileIntake;
import dev.spool.ingest.storage.StoredObject;
import dev.spool.ingest.storage.UploadDiscards;
import dev.spool.ingest.storage.UploadStore;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a multipart request: every {@code file} part streams into storage as it arrives (or, for the repeat of an
 * idempotent request, is only hashed), held to the size limits and judged by its content, and a {@code priority}
 * field asks for a lower tier. A refused file is kept as refused and the others go on; a request-level problem (a
 * limit, storage, a malformed body, a client gone) leaves nothing stored.
 */
@Component
class MultipartIntake {

    /** Name of the multipart part that carries a file. */
    static final String FILE_PART = "file";
    /** Name of the optional form field (or query parameter) that asks for a lower tier. */
    static final String PRIORITY_PART = "priority";

    private static final Logger LOG = LoggerFactory.getLogger(MultipartIntake.class);

    private final UploadStore uploads;
    private final UploadDiscards discards;
    private final UploadLimits limits;
    private final ServiceLevels levels;

    MultipartIntake(UploadStore uploads, UploadDiscards discards, UploadLimitProperties limit, ServiceLevels levels) {
        this.uploads = uploads;
        this.levels = levels;
        this.discards = discards;
        this.limits = new UploadLimits(limit.maxFileSize().toBytes(), limit.maxRequestSize().toBytes(),
                limit.maxFiles());
    }

    /** The limits every request is held to. */
    UploadLimits limits() {
        return limits;
    }

    /**
     * Reads every part. With {@code store}, files go to storage; without, they are only hashed for the fingerprint.
     * Fails, leaving nothing stored, on a request-level problem: a limit, storage, a malformed body, a file that
     * does not have the {@code digests} its client sent.
     */
    Mono<Intake> read(Caller caller, String requestedPriority, List<ExpectedDigest> digests, Flux<PartEvent> parts,
            boolean store) {
        return Mono.defer(() -> {
            UploadLimits.Tally tally = limits.tally();
            AtomicReference<String> priority = new AtomicReference<>(requestedPriority);
            List<ReceivedFile> files = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean handedOver = new AtomicBoolean();
            AtomicLong parsedFileBytes = new AtomicLong();
            return parts
                    .doOnNext(event -> {
                        if (event instanceof FilePartEvent file && FILE_PART.equals(file.name())) {
                            parsedFileBytes.addAndGet(file.content().readableByteCount());
                        }
                    })
                    .windowUntil(PartEvent::isLast)
                    .concatMap(part -> part.switchOnFirst((first, events) -> {
                        if (!first.hasValue()) {
                            return drain(events);
                        }
                        PartEvent event = first.get();
                        if (event instanceof FilePartEvent file && FILE_PART.equals(file.name())) {
                            return receive(tally, file, events, digests, store).doOnNext(files::add);
                        }
                        if (event instanceof FormPartEvent form && PRIORITY_PART.equals(form.name())) {
                            return Mono.fromRunnable(() -> {
                                levels.check(UploadRequest.NEW, TierPolicy.choose(caller.tier(), form.value()));
                                priority.set(form.value());
                            }).then(drain(events));
                        }
                        return drain(events);
                    }))
                    .then(Mono.fromCallable(() -> {
                        checkEveryByteArrived(parsedFileBytes.get(), files);
                        handedOver.set(true);
                        return new Intake(TierPolicy.choose(caller.tier(), priority.get()), priority.get(),
                                List.copyOf(files));
                    }))
                    .onErrorResume(e -> deleteAll(files).then(Mono.error(e)))
                    // A client gone while its files were stored leaves nothing behind. Once handed over, the
                    // outcome belongs to publishing: deleting then could leave a committed job without its file.
                    .doOnCancel(() -> {
                        if (!handedOver.get()) {
                            deleteAll(files).subscribe();
                        }
                    });
        });
    }

    /**
     * The bytes the multipart parser handed over must all have reached the files. A difference would be a defect in
     * the streaming pipeline; it fails the request rather than store a file that is silently short.
     */
    private static void checkEveryByteArrived(long parsed, List<ReceivedFile> files) {
        long received = files.stream().mapToLong(file -> file.intake().size()).sum();
        if (received != parsed) {
            LOG.error("Upload pipeline lost bytes: the parser emitted {} file bytes, the files received {}", parsed,
                    received);
            throw new SpoolProblem(ProblemCode.UPLOAD_INCOMPLETE);
        }
    }

    private Mono<ReceivedFile> receive(UploadLimits.Tally tally, FilePartEvent file, Flux<PartEvent> events,
            List<ExpectedDigest> digests, boolean store) {
        String filename = Filenames.normalise(file.filename());
        MediaType declaredType = file.headers().getContentType();
        String declared = declaredType == null ? null : declaredType.toString();
        tally.startFile(filename);
        int index = tally.files() - 1;
        if (index > 0 && !digests.isEmpty()) {
            throw new SpoolProblem(ProblemCode.MALFORMED_REQUEST, "Content-MD5, Content-Digest and Repr-Digest "
                    + "describe the one file of a single-file upload; send each file with a digest in a request of "
                    + "its own.");
        }
        FileChecks checks = new FileChecks() {
            @Override
            public void received(long bytes) {
                tally.add(bytes);
            }

            @Override
            public String judge(String detectedType) {
                return ContentTypePolicy.judge(detectedType, declared, filename);
            }

            @Override
            public List<ExpectedDigest> expectedDigests() {
                return digests;
            }
        };
        String jobId = UUID.randomUUID().toString();
        Mono<FileIntake> intake = store
                ? uploads.store(StorageProperties.uploadKey(jobId), events.map(PartEvent::content), checks)
                : uploads.digest(events.map(PartEvent::content), checks);
        return intake.map(received -> new ReceivedFile(index, jobId, filename, declared, received));
    }

    /** Deletes the stored files again; refused ones stored nothing. */
    Mono<Void> deleteAll(List<ReceivedFile> files) {
        return Flux.defer(() -> Flux.fromIterable(List.copyOf(files)))
                .filter(file -> file.intake() instanceof FileIntake.Stored)
                .concatMap(file -> {
                    StoredObject object = ((FileIntake.Stored) file.intake()).object();
                    return discards.delete(object.bucket(), object.key());
                })
                .then();
    }

    private static <T> Mono<T> drain(Flux<PartEvent> events) {
        return events.doOnNext(event -> DataBufferUtils.release(event.content())).then(Mono.empty());
    }

    /** All parts read: the files and the priority the request asked for. */
    record Intake(Priority priority, String requestedPriority, List<ReceivedFile> files) {

        String fingerprint() {
            return RequestFingerprint.of(requestedPriority, files.stream()
                    .map(file -> new RequestFingerprint.File(file.filename(), file.declaredType(),
                            file.intake().size(), file.intake().sha256()))
                    .toList());
        }
    }

    /** One file part as read. */
    record ReceivedFile(int index, String jobId, String filename, String declaredType, FileIntake intake) {

        Acceptance acceptance(String ownerId, Priority priority, Instant at) {
            StoredObject object = ((FileIntake.Stored) intake).object();
            return new Acceptance(new JobAccepted(jobId, ownerId, filename, object.size(), object.sha256(),
                    object.contentType(), declaredType, priority, object.bucket(), object.key(), 1, at), object.content());
        }

        UploadResult.Accepted accepted() {
            StoredObject object = ((FileIntake.Stored) intake).object();
            return new UploadResult.Accepted(index, jobId, filename, object.contentType(), object.size(),
                    object.sha256());
        }

        UploadResult.Rejected rejected() {
            SpoolProblem problem = ((FileIntake.Refused) intake).problem();
            return new UploadResult.Rejected(index, filename, problem.code(), problem.detail(), problem.properties());
        }
    }
}
