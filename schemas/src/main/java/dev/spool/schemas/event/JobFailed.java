package dev.spool.schemas.event;

import java.time.Instant;

/** Fact: the job ended without a result for a reason a retry cannot fix (unsupported, encrypted, corrupt, …). */
public record JobFailed(String jobId, int attempt, JobError error, Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.FAILED;
    }
}
