package dev.spool.ingest.upload;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.idempotency.IdempotencyStore;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.Acceptance;
import dev.spool.ingest.publish.JobAcceptance;
import dev.spool.ingest.servicelevel.ServiceLevels;
import dev.spool.ingest.servicelevel.UploadRequest;
import dev.spool.ingest.storage.ExpectedDigest;
import dev.spool.ingest.storage.FileIntake;
import dev.spool.ingest.upload.MultipartIntake.Intake;
import dev.spool.ingest.upload.MultipartIntake.ReceivedFile;
import dev.spool.schemas.envelope.EventJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a multipart upload into jobs. {@link MultipartIntake} stores its files; a refused file is reported and the
 * others go on. The accepted files then become jobs in one Kafka transaction ({@link JobAcceptance}): a job exists
 * exactly when its acceptance was acknowledged, and when publishing fails every stored object is deleted again.
 *
 * <p>With an {@code Idempotency-Key}, the first request's answer is remembered; a repeat with the same files gets
 * that answer and creates nothing, a repeat with other files is refused.
 */
@Service
public class UploadService {

    /** Name of the optional form field (or query parameter) that asks for a lower tier. */
    public static final String PRIORITY_PART = MultipartIntake.PRIORITY_PART;

    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);

    private final MultipartIntake multipart;
    private final JobAcceptance jobs;
    private final IdempotencyStore idempotency;
    private final ServiceLevels levels;
    private final MeterRegistry meters;
    private final JsonMapper json = EventJson.mapper();

    UploadService(MultipartIntake multipart, JobAcceptance jobs, IdempotencyStore idempotency, ServiceLevels levels,
            MeterRegistry meters) {
        this.multipart = multipart;
        this.levels = levels;
        this.jobs = jobs;
        this.idempotency = idempotency;
        this.meters = meters;
    }

    /** The limits every request is held to. */
    public UploadLimits limits() {
        return multipart.limits();
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
     * @param digests the digests the client sent for its one file, checked before the file is kept
     * @return the outcome; fails with the problem of the request, or of its first file when no file was accepted
     */
    public Mono<Outcome> accept(Caller caller, String requestedPriority, String idempotencyKey,
            List<ExpectedDigest> digests, Flux<PartEvent> parts) {
        Mono<Outcome> outcome = Mono.defer(() -> {
            // The tier asked for in the query, before the body is read; one asked for in the form is checked there.
            levels.check(UploadRequest.NEW, TierPolicy.choose(caller.tier(), requestedPriority));
            if (idempotencyKey == null) {
                return storeAndPublish(caller, requestedPriority, digests, parts)
                        .map(result -> new Outcome(result, false));
            }
            return idempotency.claim(caller.userId(), idempotencyKey)
                    .flatMap(claim -> idempotent(caller, requestedPriority, idempotencyKey, digests, parts, claim));
        });
        return outcome.doOnError(SpoolProblem.class, problem -> count("refused", problem.code()));
    }

    private Mono<Outcome> idempotent(Caller caller, String requestedPriority, String key, List<ExpectedDigest> digests,
            Flux<PartEvent> parts, IdempotencyStore.Claim claim) {
        if (claim instanceof IdempotencyStore.Claim.InProgress running) {
            // Retried when the claim would lapse: at once after a crashed instance, not a fixed delay later.
            return Mono.error(new SpoolProblem(ProblemCode.IDEMPOTENCY_KEY_IN_USE).withRetryAfter(running.leaseLeft()));
        }
        if (claim instanceof IdempotencyStore.Claim.Completed done) {
            return multipart.read(caller, requestedPriority, List.of(), parts, false).flatMap(intake -> {
                if (!intake.fingerprint().equals(done.fingerprint())) {
                    return Mono.error(new SpoolProblem(ProblemCode.IDEMPOTENCY_KEY_REUSED));
                }
                return Mono.just(new Outcome(json.readValue(done.answer(), UploadResult.class), true));
            });
        }
        IdempotencyStore.Claim.Acquired acquired = (IdempotencyStore.Claim.Acquired) claim;
        AtomicReference<String> fingerprint = new AtomicReference<>();
        AtomicBoolean settled = new AtomicBoolean();
        Mono<Outcome> run = multipart.read(caller, requestedPriority, digests, parts, true)
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

    private Mono<UploadResult> storeAndPublish(Caller caller, String requestedPriority, List<ExpectedDigest> digests,
            Flux<PartEvent> parts) {
        return multipart.read(caller, requestedPriority, digests, parts, true).flatMap(intake -> publish(caller, intake));
    }

    private Mono<UploadResult> publish(Caller caller, Intake intake) {
        List<ReceivedFile> files = intake.files();
        if (files.isEmpty()) {
            return Mono.error(new SpoolProblem(ProblemCode.FILE_MISSING));
        }
        List<UploadResult.Rejected> rejected = files.stream().filter(file -> file.intake() instanceof FileIntake.Refused)
                .map(ReceivedFile::rejected).toList();
        rejected.forEach(file -> count("rejected", file.code()));
        List<ReceivedFile> stored = files.stream().filter(file -> file.intake() instanceof FileIntake.Stored)
                .toList();
        if (stored.isEmpty()) {
            return Mono.error(RequestRefusal.of(files.size(), rejected));
        }
        Instant now = Instant.now();
        List<Acceptance> acceptances = stored.stream()
                .map(file -> file.acceptance(caller.userId(), intake.priority(), now))
                .toList();
        return jobs.accept(acceptances, JobAcceptance.Route.MULTIPART)
                .onErrorResume(e -> multipart.deleteAll(stored).then(Mono.error(e)))
                .then(Mono.fromCallable(() -> new UploadResult(stored.stream().map(ReceivedFile::accepted).toList(),
                        rejected)));
    }

    private void count(String outcome, ProblemCode code) {
        meters.counter("spool.uploads", "outcome", outcome, "code", code.code()).increment();
    }
}
