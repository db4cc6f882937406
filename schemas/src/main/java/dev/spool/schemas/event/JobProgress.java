package dev.spool.schemas.event;

import java.time.Instant;

/**
 * Live signal: how far a running attempt is.
 *
 * @param percent 0–100, monotonic within one attempt
 */
public record JobProgress(String jobId, int attempt, Stage stage, int percent, Instant occurredAt)
        implements JobEvent {

    public JobProgress {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be within 0..100: " + percent);
        }
    }

    @Override
    public EventType type() {
        return EventType.PROGRESS;
    }
}
