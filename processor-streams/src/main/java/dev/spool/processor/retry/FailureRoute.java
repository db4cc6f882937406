package dev.spool.processor.retry;

import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobError;

/** Where a failed attempt goes. */
public enum FailureRoute {
    /** Waits on the retry topic of its attempt, then runs again in its tier. */
    RETRY,
    /** Ends the job as failed: the document itself is the problem and another attempt would fail the same way. */
    FAIL,
    /** Ends the job on the dead-letter topic, where an operator can replay it once the cause is fixed. */
    DEAD_LETTER;

    /**
     * The route of {@code error} after {@code attempt} failed: retryable failures are retried until the schedule runs
     * out and then dead-lettered; unexpected failures are dead-lettered at once; the document's own faults fail.
     */
    public static FailureRoute of(JobError error, int attempt, RetrySchedule schedule) {
        if (error.retryable()) {
            return schedule.retriesAfter(attempt) ? RETRY : DEAD_LETTER;
        }
        return error.code() == ErrorCode.INTERNAL ? DEAD_LETTER : FAIL;
    }
}
