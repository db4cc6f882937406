package dev.spool.launcher.faults;

/**
 * A user the load generator uploads as.
 *
 * @param userId the token's subject, which owns the jobs
 * @param token the bearer token
 * @param priority the {@code priority} asked for, or {@code null} for the tier's own
 */
public record Uploader(String userId, String token, String priority) {
}
