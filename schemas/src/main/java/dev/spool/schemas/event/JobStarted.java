package dev.spool.schemas.event;

import java.time.Instant;

/** Live signal: a processor picked the job up for {@code attempt}. */
public record JobStarted(String jobId, int attempt, Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.STARTED;
    }
}
