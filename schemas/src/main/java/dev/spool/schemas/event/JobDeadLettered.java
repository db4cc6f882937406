package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Fact: retries were exhausted or the failure was unexpected; the job's work record is on the dead-letter topic
 * and the job is failed until an operator replays it.
 */
public record JobDeadLettered(String jobId, int attempt, JobError error, Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.DEAD_LETTERED;
    }
}
