package dev.spool.schemas.event;

import java.time.Instant;

/**
 * The job exists: its upload is stored and the job is queued on its tier's topic. Published by ingest on the
 * tier topic (as work) and on {@code spool.job-events} (as a fact) in one Kafka transaction.
 *
 * @param jobId job id
 * @param ownerId the uploading user (JWT {@code sub})
 * @param filename the normalised client filename; never used in storage keys
 * @param size stored bytes
 * @param sha256 hex SHA-256 of the stored bytes
 * @param contentType media type detected from the content
 * @param declaredContentType the media type the client declared, if any
 * @param priority the tier the job runs in
 * @param bucket S3 bucket of the upload
 * @param objectKey S3 key of the upload
 * @param attempt the attempt the job will start with (1, or 1 again after a replay)
 * @param occurredAt when the job was accepted
 */
public record JobAccepted(
        String jobId,
        String ownerId,
        String filename,
        long size,
        String sha256,
        String contentType,
        String declaredContentType,
        Priority priority,
        String bucket,
        String objectKey,
        int attempt,
        Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.ACCEPTED;
    }

    /** The same job queued again for attempt {@code next}, as retries and replays do. */
    public JobAccepted forAttempt(int next, Instant at) {
        return new JobAccepted(jobId, ownerId, filename, size, sha256, contentType, declaredContentType, priority,
                bucket, objectKey, next, at);
    }
}
