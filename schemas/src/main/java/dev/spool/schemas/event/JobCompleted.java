package dev.spool.schemas.event;

import java.time.Instant;

/** Fact: the job's text is stored and its summary known. Terminal. */
public record JobCompleted(
        String jobId,
        int attempt,
        Instant startedAt,
        long processingMillis,
        ExtractionResult result,
        Instant occurredAt) implements JobEvent {

    @Override
    public EventType type() {
        return EventType.COMPLETED;
    }
}
