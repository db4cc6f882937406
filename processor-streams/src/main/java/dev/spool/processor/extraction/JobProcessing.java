package dev.spool.processor.extraction;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.storage.JobObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one job: download to a private work folder, extract, store the text, and report how it ended.
 * It never throws, so a bad document can never stop a stream thread; the folder is removed whatever happens.
 */
public final class JobProcessing {

    private static final Logger LOG = LoggerFactory.getLogger(JobProcessing.class);

    private final DocumentSource documents;
    private final PlainTextInProcess inProcess;
    private final TextExtractor extractor;
    private final TextStore texts;
    private final ProgressSink progress;
    private final Path workDir;
    private final Clock clock;

    /**
     * @param inProcess the documents extracted in memory, in this process, and how
     * @param extractor every other document's extraction, through files
     */
    public JobProcessing(DocumentSource documents, PlainTextInProcess inProcess, TextExtractor extractor, TextStore texts,
            ProgressSink progress, Path workDir, Clock clock) {
        this.documents = Objects.requireNonNull(documents, "documents");
        this.inProcess = Objects.requireNonNull(inProcess, "inProcess");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        this.texts = Objects.requireNonNull(texts, "texts");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The key the text of {@code jobId} is stored at in the text bucket. */
    public static String textKey(String jobId) {
        return JobObjects.textKey(jobId);
    }

    /**
     * Runs the attempt.
     *
     * @param travelled the document as it travelled with the work record, or {@code null}; used only when its length
     *     and SHA-256 are the job's, else the stored object is read
     */
    public AttemptOutcome process(JobAccepted job, byte[] travelled) {
        Instant startedAt = clock.instant();
        signal(new JobStarted(job.jobId(), job.attempt(), startedAt));
        try {
            return new AttemptOutcome.Completed(run(job, verified(job, travelled), startedAt));
        } catch (Exception | LinkageError failure) {
            JobError error = FailureClassifier.classify(failure);
            LOG.debug("Attempt {} of job {} failed", job.attempt(), job.jobId(), failure);
            return new AttemptOutcome.Failed(error, failure, clock.instant());
        }
    }

    /** {@code travelled} when it is the job's document, else {@code null}. */
    private static byte[] verified(JobAccepted job, byte[] travelled) {
        if (travelled == null) {
            return null;
        }
        if (travelled.length == job.size() && sha256(travelled).equalsIgnoreCase(job.sha256())) {
            return travelled;
        }
        LOG.warn("The document that came with the work record is not the job's ({} bytes); reading the stored one",
                travelled.length);
        return null;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    private JobCompleted run(JobAccepted job, byte[] travelled, Instant startedAt) throws Exception {
        if (inProcess.accepts(job.contentType(), job.size())) {
            return runInMemory(job, travelled, startedAt);
        }
        Files.createDirectories(workDir);
        Path folder = Files.createTempDirectory(workDir, "job-");
        try {
            Path document = folder.resolve("document");
            Path text = folder.resolve("text.txt");
            step(job, Stage.DOWNLOADING, 10);
            if (travelled != null) {
                Files.write(document, travelled);
            } else {
                documents.download(job.bucket(), job.objectKey(), document);
            }
            step(job, Stage.DETECTING, 30);
            ExtractionSummary summary = extractor.extract(document, job.contentType(), text,
                    type -> step(job, Stage.EXTRACTING, 40));
            step(job, Stage.STORING, 80);
            texts.put(textKey(job.jobId()), text);
            keepOnlyWhileTheOriginalIsStored(job);
            return completed(job, startedAt, summary);
        } finally {
            deleteQuietly(folder);
        }
    }

    /**
     * A small plain-text document, held in memory from download to store. It takes a blink, so it reports no
     * progress between its start and its end: four more signals per job were as many records as its facts.
     */
    private JobCompleted runInMemory(JobAccepted job, byte[] travelled, Instant startedAt) throws Exception {
        byte[] document = travelled != null ? travelled
                : documents.read(job.bucket(), job.objectKey(), inProcess.maxBytes());
        if (document.length != job.size()) {
            throw new IllegalStateException("the stored object has " + (document.length > inProcess.maxBytes()
                    ? "more than " + inProcess.maxBytes() : document.length) + " bytes, not the " + job.size()
                    + " it was accepted with");
        }
        ExtractedText text = inProcess.extract(document, job.contentType());
        texts.put(textKey(job.jobId()), text.utf8());
        keepOnlyWhileTheOriginalIsStored(job);
        return completed(job, startedAt, text.summary());
    }

    /**
     * A job deleted while it ran has lost its original; the text just stored must not outlive it. Deletion removes
     * the original and then the text, and this looks for the original after storing the text, so with S3's
     * read-after-write consistency one of the two always removes the text: if the original is still there, the text was
     * stored before the deletion removed it. The job then fails as {@code object_missing}, which the projection
     * ignores for a deleted job.
     */
    private void keepOnlyWhileTheOriginalIsStored(JobAccepted job) throws Exception {
        if (documents.exists(job.bucket(), job.objectKey())) {
            return;
        }
        texts.delete(textKey(job.jobId()));
        LOG.info("Job {} lost its original while it ran (deleted); its text was removed", job.jobId());
        throw new ExtractionRefusedException(ErrorCode.OBJECT_MISSING,
                "The original was removed while the job ran, so its text was removed too.");
    }

    private JobCompleted completed(JobAccepted job, Instant startedAt, ExtractionSummary summary) {
        ExtractionResult result = new ExtractionResult(summary.contentType(), summary.pages(), summary.characters(),
                summary.words(), summary.language(), summary.title(), summary.author(), texts.bucket(),
                textKey(job.jobId()), summary.width(), summary.height(),
                summary.metadata().isEmpty() ? null : summary.metadata(), texts.encoding(), summary.truncated(),
                summary.image());
        Instant finishedAt = clock.instant();
        long millis = Duration.between(startedAt, finishedAt).toMillis();
        return new JobCompleted(job.jobId(), job.attempt(), startedAt, millis, result, finishedAt);
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not remove work folder {}: {}", folder, e.toString());
        }
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
