package dev.spool.projection.fold;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.ImageMetadata;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobReplayed;
import dev.spool.schemas.event.JobRetryScheduled;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events of one job, as the producers would write them, for the projection's tests. */
public final class SampleEvents {

    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    public static final JobError TIMEOUT = new JobError(ErrorCode.TIMEOUT, "extraction timed out", true);
    public static final JobError ENCRYPTED = new JobError(ErrorCode.ENCRYPTED, "the PDF is password-protected", false);

    private final String jobId;

    public SampleEvents(String jobId) {
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }

    /** The instant {@code seconds} after {@link #T0}. */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public JobAccepted accepted(long seconds) {
        return new JobAccepted(jobId, "user-1", "report.pdf", 2048, "ab".repeat(32), "application/pdf", "application/pdf",
                Priority.NORMAL, "spool-uploads", "uploads/" + jobId, 1, at(seconds));
    }

    public JobStarted started(int attempt, long seconds) {
        return new JobStarted(jobId, attempt, at(seconds));
    }

    public JobProgress progress(int attempt, Stage stage, int percent, long seconds) {
        return new JobProgress(jobId, attempt, stage, percent, at(seconds));
    }

    public JobRetryScheduled retry(int attempt, long seconds) {
        return new JobRetryScheduled(jobId, attempt, TIMEOUT, at(seconds + 2), at(seconds));
    }

    public JobCompleted completed(int attempt, long startedSeconds, long seconds) {
        return new JobCompleted(jobId, attempt, at(startedSeconds), (seconds - startedSeconds) * 1000, result(), at(seconds));
    }

    /** The completion of a photo, whose result carries every field of the image part. */
    public JobCompleted photoCompleted(int attempt, long startedSeconds, long seconds) {
        ImageMetadata image = new ImageMetadata(4000, 3000, 6, "2024-06-15T18:42:07+02:00", "Fujifilm", "X-T30",
                new ImageMetadata.GpsPosition(50.9413, 6.9583, -1.5), "Fähre über den Rhein", "Abendfähre",
                "Die letzte Fähre", List.of("Fähre", "Rhein"));
        ExtractionResult result = new ExtractionResult("image/jpeg", null, 40, 6, "de", "Abendfähre", null, "spool-text",
                "text/" + jobId + ".txt.gz", 4000, 3000, Map.of("tiff:Make", "Fujifilm"), "gzip", null, image);
        return new JobCompleted(jobId, attempt, at(startedSeconds), (seconds - startedSeconds) * 1000, result, at(seconds));
    }

    public JobFailed failed(int attempt, long seconds) {
        return new JobFailed(jobId, attempt, ENCRYPTED, at(seconds));
    }

    public JobDeadLettered deadLettered(int attempt, long seconds) {
        return new JobDeadLettered(jobId, attempt, TIMEOUT, at(seconds));
    }

    /** Its owner ({@code user-1}) deleted the job. */
    public JobDeleted deleted(long seconds) {
        return new JobDeleted(jobId, 1, "user-1", at(seconds));
    }

    public JobReplayed replayed(int replayCount, long seconds) {
        return new JobReplayed(jobId, 1, replayCount, "admin-1", at(seconds));
    }

    public ExtractionResult result() {
        return new ExtractionResult("application/pdf; version=1.7", 3, 5120, 830, "en", "Quarterly report", "Ada",
                "spool-text", "text/" + jobId + ".txt", null, null, null, null);
    }
}
