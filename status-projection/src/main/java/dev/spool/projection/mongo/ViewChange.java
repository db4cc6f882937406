package dev.spool.projection.mongo;

import dev.spool.schemas.view.JobView;

/**
 * What one read-fold-write did to a job's stored view.
 *
 * @param before the stored view it started from; {@code null} when the job had none
 * @param after the stored view now; the same instance as {@code before} when nothing changed
 */
public record ViewChange(JobView before, JobView after) {

    /** Whether a new version was written. */
    public boolean changed() {
        return before != after;
    }

    /** Whether the job's status moved, including its first status. */
    public boolean statusChanged() {
        return before == null || before.status() != after.status();
    }
}
