package dev.spool.processor.extraction;

import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One attempt of one job: download, extract, store the text, and answer with the fact that ends the attempt.
 * It never throws, so a bad document can never stop a stream thread.
 */
public final class JobProcessing {

    private static final Logger LOG = LoggerFactory.getLogger(JobProcessing.class);

    private final DocumentSource documents;
    private final TextExtractor extractor;
    private final TextStore texts;
    private final ProgressSink progress;
    private final Clock clock;

    public JobProcessing(DocumentSource documents, TextExtractor extractor, TextStore texts, ProgressSink progress,
            Clock clock) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key the text of {@code jobId} is stored at in the text bucket. */
    public static String textKey(String jobId) {
        return "text/" + jobId + ".txt";
    }

    /** Runs the attempt and returns {@link JobCompleted} or {@link JobFailed}. */
    public JobEvent process(JobAccepted job) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("jobId", job.jobId())) {
            Instant startedAt = clock.instant();
            LOG.info("Job started: attempt {}, {} bytes of {}", job.attempt(), job.size(), job.contentType());
            signal(new JobStarted(job.jobId(), job.attempt(), startedAt));
            try {
                JobCompleted completed = run(job, startedAt);
                LOG.info("Job completed in {} ms: {} characters", completed.processingMillis(),
                        completed.result().characters());
                return completed;
            } catch (Exception | LinkageError failure) {
                JobError error = FailureClassifier.classify(failure);
                LOG.info("Job failed with {} (retryable {}): {}", error.code().wireName(), error.retryable(),
                        error.message());
                LOG.debug("Failure of job", failure);
                return new JobFailed(job.jobId(), job.attempt(), error, clock.instant());
            }
        }
    }

    private JobCompleted run(JobAccepted job, Instant startedAt) throws Exception {
        step(job, Stage.DOWNLOADING, 10);
        byte[] document = documents.download(job.bucket(), job.objectKey());
        step(job, Stage.EXTRACTING, 40);
        ExtractedText extracted = extractor.extract(document);
        step(job, Stage.STORING, 80);
        String key = textKey(job.jobId());
        texts.put(key, extracted.text());
        ExtractionResult result = new ExtractionResult(extracted.contentType(), extracted.pages(),
                extracted.characters(), extracted.words(), null, extracted.title(), extracted.author(),
                texts.bucket(), key);
        Instant finishedAt = clock.instant();
        long millis = Duration.between(startedAt, finishedAt).toMillis();
        return new JobCompleted(job.jobId(), job.attempt(), startedAt, millis, result, finishedAt);
    }

    private void step(JobAccepted job, Stage stage, int percent) {
        signal(new JobProgress(job.jobId(), job.attempt(), stage, percent, clock.instant()));
    }

    private void signal(JobEvent event) {
        try {
            progress.publish(event);
        } catch (RuntimeException e) {
            // Signals are best effort; losing one must not fail the job, whose fact still goes out.
            LOG.warn("Could not publish {} signal: {}", event.type().shortName(), e.toString());
        }
    }
}
