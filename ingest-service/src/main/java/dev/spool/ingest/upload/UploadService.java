package dev.spool.ingest.upload;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.content.ContentTypePolicy;
import dev.spool.ingest.idempotency.IdempotencyStore;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.Acceptance;
import dev.spool.ingest.publish.JobAcceptance;
import dev.spool.ingest.storage.FileChecks;
import dev.spool.ingest.storage.FileIntake;
import dev.spool.ingest.storage.StoredObject;
import dev.spool.ingest.storage.UploadDiscards;
import dev.spool.ingest.storage.UploadStore;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a multipart upload into jobs. Every {@code file} part streams into storage as it arrives, held to the size
 * limits and judged by its content; a refused file is reported and the others go on. The accepted files are then
 * published in one Kafka transaction: a job exists exactly when its acceptance was acknowledged, and when
 * publishing fails every stored object is deleted again.
 *
 * <p>With an {@code Idempotency-Key}, the first request's answer is remembered; a repeat with the same files gets
 * that answer and creates nothing, a repeat with other files is refused.
 */
@Service
public class UploadService {

    /** Name of the multipart part that carries a file. */
    public static final String FILE_PART = "file";
    /** Name of the optional form field (or query parameter) that asks for a lower tier. */
    public static final String PRIORITY_PART = "priority";

    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    private static final String KEY_PREFIX = "uploads/";

    private final UploadStore uploads;
    private final UploadDiscards discards;
    private final JobAcceptance jobs;
    private final IdempotencyStore idempotency;
    private final UploadLimits limits;
    private final MeterRegistry meters;
    private final JsonMapper json = EventJson.mapper();

    public UploadService(UploadStore uploads, UploadDiscards discards, JobAcceptance jobs, IdempotencyStore idempotency,
            IngestProperties ingest, MeterRegistry meters) {
        this.uploads = uploads;
        this.discards = discards;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.limits = new UploadLimits(ingest.maxFileSize().toBytes(), ingest.maxRequestSize().toBytes(),
                ingest.maxFiles());
        this.meters = meters;
    }

    /** The limits every request is held to. */
    public UploadLimits limits() {
        return limits;
    }

    /**
     * What a request achieved.
     *
     * @param result the jobs created and the files refused
     * @param replayed whether this is the remembered answer to an earlier request with the same key
     */
    public record Outcome(UploadResult result, boolean replayed) {
    }

    /**
     * Accepts the files in {@code parts} for {@code caller}.
     *
     * @param requestedPriority the {@code priority} query parameter, or {@code null}; a form field of that name in
     *     the body takes precedence
     * @param idempotencyKey a validated {@code Idempotency-Key}, or {@code null}
     * @return the outcome; fails with the problem of the request, or of its first file when no file was accepted
     */
    public Mono<Outcome> accept(Caller caller, String requestedPriority, String idempotencyKey, Flux<PartEvent> parts) {
        Mono<Outcome> outcome = Mono.defer(() -> {
            TierPolicy.choose(caller.tier(), requestedPriority);
            if (idempotencyKey == null) {
                return storeAndPublish(caller, requestedPriority, parts).map(result -> new Outcome(result, false));
            }
            return idempotency.claim(caller.userId(), idempotencyKey)
                    .flatMap(claim -> idempotent(caller, requestedPriority, idempotencyKey, parts, claim));
        });
        return outcome.doOnError(SpoolProblem.class, problem -> count("refused", problem.code()));
    }

    private Mono<Outcome> idempotent(Caller caller, String requestedPriority, String key, Flux<PartEvent> parts,
            IdempotencyStore.Claim claim) {
        if (claim instanceof IdempotencyStore.Claim.InProgress) {
            return Mono.error(new SpoolProblem(ProblemCode.IDEMPOTENCY_KEY_IN_USE));
        }
        if (claim instanceof IdempotencyStore.Claim.Completed done) {
            return intake(caller, requestedPriority, parts, false).flatMap(intake -> {
                if (!intake.fingerprint().equals(done.fingerprint())) {
                    return Mono.error(new SpoolProblem(ProblemCode.IDEMPOTENCY_KEY_REUSED));
                }
                return Mono.just(new Outcome(json.readValue(done.answer(), UploadResult.class), true));
            });
        }
        IdempotencyStore.Claim.Acquired acquired = (IdempotencyStore.Claim.Acquired) claim;
        AtomicReference<String> fingerprint = new AtomicReference<>();
        AtomicBoolean settled = new AtomicBoolean();
        Mono<Outcome> run = intake(caller, requestedPriority, parts, true)
                .doOnNext(intake -> fingerprint.set(intake.fingerprint()))
                .flatMap(intake -> publish(caller, intake))
                .flatMap(result -> idempotency.complete(caller.userId(), key, fingerprint.get(),
                                json.writeValueAsString(result))
                        .onErrorResume(e -> {
                            LOG.warn("The jobs are created but their Idempotency-Key could not be recorded; a repeat "
                                    + "is refused as in progress until the key's claim lapses", e);
                            return Mono.empty();
                        })
                        .thenReturn(new Outcome(result, false)))
                .doOnNext(done -> settled.set(true))
                .onErrorResume(e -> release(caller, key, acquired).then(Mono.error(e)))
                .doOnCancel(() -> {
                    if (!settled.get()) {
                        release(caller, key, acquired).subscribe();
                    }
                });
        return idempotency.holding(caller.userId(), key, acquired, run);
    }

    private Mono<Void> release(Caller caller, String key, IdempotencyStore.Claim.Acquired claim) {
        return idempotency.release(caller.userId(), key, claim).onErrorResume(e -> {
            LOG.warn("Could not release an Idempotency-Key; its claim lapses by itself", e);
            return Mono.empty();
        });
    }

    private Mono<UploadResult> storeAndPublish(Caller caller, String requestedPriority, Flux<PartEvent> parts) {
        return intake(caller, requestedPriority, parts, true).flatMap(intake -> publish(caller, intake));
    }

    /**
     * Reads every part. With {@code store}, files go to storage; without, they are only hashed for the fingerprint.
     * Fails, leaving nothing stored, on a request-level problem: a limit, storage, a malformed body.
     */
    private Mono<Intake> intake(Caller caller, String requestedPriority, Flux<PartEvent> parts, boolean store) {
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
                            return receive(tally, file, events, store).doOnNext(files::add);
                        }
                        if (event instanceof FormPartEvent form && PRIORITY_PART.equals(form.name())) {
                            return Mono.fromRunnable(() -> {
                                TierPolicy.choose(caller.tier(), form.value());
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
            boolean store) {
        String filename = Filenames.normalise(file.filename());
        MediaType declaredType = file.headers().getContentType();
        String declared = declaredType == null ? null : declaredType.toString();
        tally.startFile(filename);
        int index = tally.files() - 1;
        FileChecks checks = new FileChecks() {
            @Override
            public void received(long bytes) {
                tally.add(bytes);
            }

            @Override
            public String judge(String detectedType) {
                return ContentTypePolicy.judge(detectedType, declared, filename);
            }
        };
        String jobId = UUID.randomUUID().toString();
        Mono<FileIntake> intake = store
                ? uploads.store(KEY_PREFIX + jobId, events.map(PartEvent::content), checks)
                : uploads.digest(events.map(PartEvent::content), checks);
        return intake.map(received -> new ReceivedFile(index, jobId, filename, declared, received));
    }

    private Mono<UploadResult> publish(Caller caller, Intake intake) {
        List<ReceivedFile> files = intake.files();
        if (files.isEmpty()) {
            return Mono.error(new SpoolProblem(ProblemCode.FILE_MISSING));
        }
        List<UploadResult.Rejected> rejected = files.stream().filter(file -> file.intake() instanceof FileIntake.Refused)
                .map(ReceivedFile::rejected).toList();
        rejected.forEach(file -> count("rejected", file.code()));
        List<ReceivedFile> stored = files.stream().filter(file -> file.intake() instanceof FileIntake.Stored).toList();
        if (stored.isEmpty()) {
            return Mono.error(RequestRefusal.of(files.size(), rejected));
        }
        Instant now = Instant.now();
        List<Acceptance> acceptances = stored.stream()
                .map(file -> file.acceptance(caller.userId(), intake.priority(), now))
                .toList();
        return jobs.accept(acceptances, JobAcceptance.Route.MULTIPART)
                .onErrorResume(e -> deleteAll(stored).then(Mono.error(e)))
                .then(Mono.fromCallable(() -> new UploadResult(stored.stream().map(ReceivedFile::accepted).toList(),
                        rejected)));
    }

    private Mono<Void> deleteAll(List<ReceivedFile> files) {
        return Flux.defer(() -> Flux.fromIterable(List.copyOf(files)))
                .filter(file -> file.intake() instanceof FileIntake.Stored)
                .concatMap(file -> {
                    StoredObject object = ((FileIntake.Stored) file.intake()).object();
                    return discards.delete(object.bucket(), object.key());
                })
                .then();
    }

    private void count(String outcome, ProblemCode code) {
        meters.counter("spool.uploads", "outcome", outcome, "code", code.code()).increment();
    }

    private static <T> Mono<T> drain(Flux<PartEvent> events) {
        return events.doOnNext(event -> DataBufferUtils.release(event.content())).then(Mono.empty());
    }

    /** All parts read: the files and the priority the request asked for. */
    private record Intake(Priority priority, String requestedPriority, List<ReceivedFile> files) {

        String fingerprint() {
            return RequestFingerprint.of(requestedPriority, files.stream()
                    .map(file -> new RequestFingerprint.File(file.filename(), file.declaredType(),
                            file.intake().size(), file.intake().sha256()))
                    .toList());
        }
    }

    /** One file part as read. */
    private record ReceivedFile(int index, String jobId, String filename, String declaredType, FileIntake intake) {

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
