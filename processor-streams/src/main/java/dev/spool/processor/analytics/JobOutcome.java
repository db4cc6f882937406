package dev.spool.processor.analytics;

import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;

/**
 * How one job ended, with what the window counts of it: its outcome, detected type, tier and bytes (from its
 * acceptance) and, when it completed, its processing time.
 */
record JobOutcome(String outcome, String contentType, String tier, long bytes, Long processingMillis) {

    /** The outcome of a terminal fact about an accepted job. */
    static JobOutcome of(JobEvent terminal, AcceptedJob accepted) {
        if (terminal instanceof JobCompleted completed) {
            return new JobOutcome("completed", accepted.contentType(), accepted.tier(), accepted.bytes(),
                    completed.processingMillis());
        }
        if (terminal instanceof JobFailed) {
            return new JobOutcome("failed", accepted.contentType(), accepted.tier(), accepted.bytes(), null);
        }
        if (terminal instanceof JobDeadLettered) {
            return new JobOutcome("dead_lettered", accepted.contentType(), accepted.tier(), accepted.bytes(), null);
        }
        throw new IllegalArgumentException("not a terminal fact: " + terminal.type());
    }

    static boolean isTerminal(JobEvent event) {
        return event instanceof JobCompleted || event instanceof JobFailed || event instanceof JobDeadLettered;
    }
}
