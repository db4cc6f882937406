package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Fact: the job's owner (or an administrator) deleted the job. Its original and text are removed from S3 before this
 * is published; every consumer drops what it holds of the job, and nothing that follows brings it back.
 *
 * @param attempt the attempts the job had started when it was deleted, at least 1 (deletion belongs to no attempt)
 * @param requestedBy who deleted it (JWT {@code sub})
 */
public record JobDeleted(String jobId, int attempt, String requestedBy, Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.DELETED;
    }
}
