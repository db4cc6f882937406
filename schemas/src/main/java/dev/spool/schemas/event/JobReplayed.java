package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Fact: an operator sent a dead-lettered job back to its tier; attempts start again at {@code attempt} (1).
 *
 * @param replayCount how many times this job has been replayed, including this one
 * @param requestedBy the operator (JWT {@code sub})
 */
public record JobReplayed(String jobId, int attempt, int replayCount, String requestedBy, Instant occurredAt)
        implements JobEvent {

    @Override
    public EventType type() {
        return EventType.REPLAYED;
    }
}
