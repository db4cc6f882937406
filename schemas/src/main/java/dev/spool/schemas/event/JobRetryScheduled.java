package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Fact: attempt {@code attempt} failed with a retryable error; attempt {@code attempt + 1} is due at
 * {@code dueAt}.
 */
public record JobRetryScheduled(String jobId, int attempt, JobError error, Instant dueAt, Instant occurredAt)
        implements JobEvent {

    @Override
    public EventType type() {
        return EventType.RETRY_SCHEDULED;
    }
}
