package dev.spool.schemas.event;

/**
 * Why an attempt or a job failed.
 *
 * @param code stable machine-readable code
 * @param message what went wrong, for people
 * @param retryable whether a later attempt may succeed
 */
public record JobError(ErrorCode code, String message, boolean retryable) {
}
