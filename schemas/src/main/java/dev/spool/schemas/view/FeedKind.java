package dev.spool.schemas.view;

import java.util.Locale;

/**
 * What a live-feed entry says about its job, and the name of the server-sent event that carries it: the job moved
 * ({@link #STATUS}), made progress within its state ({@link #PROGRESS}), or ended ({@link #COMPLETED},
 * {@link #FAILED}, {@link #DELETED}); a terminal entry is the feed's last. A {@link #DELETED} entry replaces the whole
 * feed: the entries before it, which describe the job, are removed with it.
 */
public enum FeedKind {
    PROGRESS, STATUS, COMPLETED, FAILED, DELETED;

    /** The lower-case name used in the feed and as the SSE event name. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name. */
    public static FeedKind fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The kind of a change from {@code before} (or none) to {@code after}. */
    public static FeedKind of(JobView before, JobView after) {
        if (after.status() == JobStatus.DELETED) {
            return DELETED;
        }
        if (after.status() == JobStatus.COMPLETED) {
            return COMPLETED;
        }
        if (after.status() == JobStatus.FAILED) {
            return FAILED;
        }
        return before == null || before.status() != after.status() ? STATUS : PROGRESS;
    }

    /** Whether this entry ends its feed. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == DELETED;
    }
}
