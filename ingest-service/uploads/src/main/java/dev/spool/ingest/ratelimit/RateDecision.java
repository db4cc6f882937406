package dev.spool.ingest.ratelimit;

import java.time.Duration;

/**
 * What the rate limiter said about one upload, with the numbers of the bucket that decided.
 *
 * @param allowed whether the upload may go ahead
 * @param bucket {@code user} or {@code ip}: the bucket that refused, or when allowed the
 *     one closest to running out; {@code null} when Redis could not be asked and the upload passed unchecked
 * @param limit the bucket's capacity
 * @param remaining tokens left in the bucket after this upload
 * @param reset time until the bucket is full again
 * @param retryAfter time until the next token, when a refused upload may be sent again; zero when allowed
 * @param policy the bucket's quota policy as sent in {@code RateLimit-Policy}, e.g. {@code 60;w=60}
 */
public record RateDecision(boolean allowed, String bucket, long limit, long remaining, Duration reset,
        Duration retryAfter, String policy) {

    /** An upload let through without a check because the buckets could not be reached. */
    static RateDecision unchecked() {
        return new RateDecision(true, null, 0, 0, Duration.ZERO, Duration.ZERO, null);
    }

    /** Whether a bucket was asked; only then are the numbers meaningful. */
    public boolean checked() {
        return bucket != null;
    }

    /** Whole seconds until the bucket is full again, rounded up. */
    public long resetSeconds() {
        return reset.toSeconds() + (reset.toNanosPart() > 0 ? 1 : 0);
    }
}
