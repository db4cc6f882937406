package dev.spool.schemas.view;

import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Stage;
import java.time.Instant;

/**
 * What Spool knows about one job: the fold of its events. Stored in MongoDB and Redis, published on
 * {@code spool.job-state}, and returned by status reads.
 *
 * @param jobId job id
 * @param ownerId the uploading user
 * @param filename normalised client filename
 * @param size stored bytes
 * @param sha256 hex SHA-256 of the upload
 * @param contentType media type detected from the content (refined by extraction)
 * @param priority tier
 * @param status where the job stands
 * @param stage current stage while processing
 * @param progress 0–100
 * @param attempts processing attempts started
 * @param deadLettered whether the job sits in the dead-letter topic
 * @param createdAt when the job was accepted
 * @param startedAt when the latest attempt started
 * @param completedAt when the job reached its terminal state
 * @param processingMillis time spent in the successful attempt
 * @param result extraction summary when completed
 * @param error the failure when failed or retrying
 * @param version number of events folded in; guards concurrent writes
 * @param updatedAt when the view last changed
 */
public record JobView(
        String jobId,
        String ownerId,
        String filename,
        Long size,
        String sha256,
        String contentType,
        Priority priority,
        JobStatus status,
        Stage stage,
        int progress,
        int attempts,
        boolean deadLettered,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Long processingMillis,
        ExtractionResult result,
        JobError error,
        long version,
        Instant updatedAt) {

    /**
     * The view of a job at the moment it is accepted, before anything else is known of it: queued, no attempt yet,
     * version 1. The projection folds an acceptance into no view to this, and ingest writes it to Redis before it
     * answers the upload, so that the job's status URL and feed find it at once; both are the same view, so the
     * projection sees the acceptance as already applied.
     */
    public static JobView accepted(JobAccepted event) {
        return new JobView(event.jobId(), event.ownerId(), event.filename(), event.size(), event.sha256(),
                event.contentType(), event.priority(), JobStatus.QUEUED, null, 0, 0, false, event.occurredAt(), null,
                null, null, null, null, 1, event.occurredAt());
    }
}
