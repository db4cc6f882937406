package dev.spool.processor.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the jobs a stream task holds in flight.
 *
 * @param perTask most jobs read and not yet finished per task; a full task stops reading until one finishes
 * @param drainInterval how often a stream thread with nothing to read writes the outcomes of finished jobs
 */
public record InFlightLimits(int perTask, Duration drainInterval) {

    public InFlightLimits {
        if (perTask < 1) {
            throw new IllegalArgumentException("at least one job must be allowed in flight, got " + perTask);
        }
        Objects.requireNonNull(drainInterval, "drainInterval");
    }
}
