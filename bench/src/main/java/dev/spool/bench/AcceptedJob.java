package dev.spool.bench;

/**
 * A job the pipeline took, and when it took it on the bench's {@link System#nanoTime()} clock.
 *
 * @param jobId job id
 * @param acceptedAt when the upload was answered 202, or when the bench produced the work record itself
 */
record AcceptedJob(String jobId, long acceptedAt) {
}
