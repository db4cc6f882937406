package dev.spool.ingest.upload;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.JobPublisher;
import dev.spool.ingest.storage.ObjectStore;
import dev.spool.ingest.storage.StoredObject;
import dev.spool.ingest.storage.UploadStore;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.topic.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a multipart upload into jobs: streams every {@code file} part into storage as it arrives, then publishes
 * one acceptance per file in a single Kafka transaction. Either all jobs exist afterwards or none does and every
 * stored object is deleted again.
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
    private final ObjectStore objects;
    private final JobPublisher publisher;

    public UploadService(UploadStore uploads, ObjectStore objects, JobPublisher publisher) {
        this.uploads = uploads;
        this.objects = objects;
        this.publisher = publisher;
    }

    /**
     * Accepts the files in {@code parts} for {@code caller}.
     *
     * @param requestedPriority the {@code priority} query parameter, or {@code null}; a form field of that name
     *     in the body takes precedence
     * @return the accepted jobs, in the order of their parts
     */
    public Mono<List<JobAccepted>> accept(Caller caller, String requestedPriority, Flux<PartEvent> parts) {
        return Mono.defer(() -> {
            AtomicReference<Priority> priority = new AtomicReference<>(TierPolicy.choose(caller.tier(), requestedPriority));
            List<StoredFile> stored = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean publishing = new AtomicBoolean();
            return parts
                    .windowUntil(PartEvent::isLast)
                    .concatMap(part -> part.switchOnFirst((first, events) -> {
                        if (!first.hasValue()) {
                            return drain(events);
                        }
                        PartEvent event = first.get();
                        if (event instanceof FilePartEvent file && FILE_PART.equals(file.name())) {
                            return store(file, events).doOnNext(stored::add);
                        }
                        if (event instanceof FormPartEvent form && PRIORITY_PART.equals(form.name())) {
                            return Mono.fromRunnable(() -> priority.set(TierPolicy.choose(caller.tier(), form.value())))
                                    .then(drain(events));
                        }
                        return drain(events);
                    }))
                    .then(Mono.fromCallable(() -> {
                        publishing.set(true);
                        return List.copyOf(stored);
                    }))
                    .onErrorResume(e -> deleteAll(stored).then(Mono.error(e)))
                    .flatMap(files -> publish(caller, priority.get(), files))
                    // A client gone while its files were stored leaves nothing behind. Once publishing has started,
                    // the outcome belongs to Kafka: deleting then could leave a committed job without its file.
                    .doOnCancel(() -> {
                        if (!publishing.get()) {
                            deleteAll(stored).subscribe();
                        }
                    });
        });
    }

    private Mono<StoredFile> store(FilePartEvent file, Flux<PartEvent> events) {
        String jobId = UUID.randomUUID().toString();
        MediaType declared = file.headers().getContentType();
        return uploads.store(KEY_PREFIX + jobId, events.map(PartEvent::content))
                .map(object -> new StoredFile(jobId, Filenames.normalise(file.filename()),
                        declared == null ? null : declared.toString(), object));
    }

    private Mono<List<JobAccepted>> publish(Caller caller, Priority priority, List<StoredFile> files) {
        if (files.isEmpty()) {
            return Mono.error(new SpoolProblem(ProblemCode.FILE_MISSING));
        }
        Instant now = Instant.now();
        List<JobAccepted> jobs = files.stream().map(file -> file.accepted(caller.userId(), priority, now)).toList();
        return publisher.publish(jobs)
                .onErrorResume(e -> deleteAll(files).then(Mono.error(new SpoolProblem(ProblemCode.PUBLISH_FAILED, e))))
                .then(Mono.fromRunnable(() -> jobs.forEach(UploadService::logAccepted)))
                .thenReturn(jobs);
    }

    private Mono<Void> deleteAll(List<StoredFile> files) {
        return Flux.defer(() -> Flux.fromIterable(List.copyOf(files)))
                .concatMap(file -> objects.delete(file.object().bucket(), file.object().key())
                        .onErrorResume(e -> {
                            LOG.warn("Could not delete {} of a failed upload; it has no job and can be swept",
                                    file.object().key(), e);
                            return Mono.empty();
                        }))
                .then();
    }

    private static <T> Mono<T> drain(Flux<PartEvent> events) {
        return events.doOnNext(event -> DataBufferUtils.release(event.content())).then(Mono.empty());
    }

    private static void logAccepted(JobAccepted job) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            LOG.info("Job {} accepted: {} bytes of {} from {} at priority {}", job.jobId(), job.size(),
                    job.contentType(), job.ownerId(), job.priority().wireName());
        }
    }

    /** A file part that is stored and waits for its job to be published. */
    private record StoredFile(String jobId, String filename, String declaredContentType, StoredObject object) {

        JobAccepted accepted(String ownerId, Priority priority, Instant at) {
            return new JobAccepted(jobId, ownerId, filename, object.size(), object.sha256(), object.contentType(),
                    declaredContentType, priority, object.bucket(), object.key(), 1, at);
        }
    }
}
