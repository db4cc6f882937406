package dev.spool.processor.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * When a failed attempt is tried again: exponential backoff with full jitter. After attempt {@code n} fails, the
 * next attempt waits a time drawn uniformly from {@code [0, min(cap, base * factor^(n-1))]}; full jitter spreads
 * the retries of many jobs that failed together (a storage outage) instead of sending them back in waves.
 *
 * @param retries retries after the first attempt; attempt {@code retries + 1} is the last
 * @param base ceiling of the first retry's wait
 * @param factor growth of the ceiling per attempt
 * @param cap largest ceiling
 */
public record RetrySchedule(int retries, Duration base, double factor, Duration cap) {

    public RetrySchedule {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + " and cap " + cap);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 1: " + factor);
        }
    }

    /** Whether a retryable failure of {@code attempt} (1 for the first) gets another attempt. */
    public boolean retriesAfter(int attempt) {
        return attempt >= 1 && attempt <= retries;
    }

    /** The largest wait after {@code attempt} failed: {@code min(cap, base * factor^(attempt-1))}. */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts start at 1: " + attempt);
        }
        double millis = base.toMillis() * Math.pow(factor, attempt - 1);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    /**
     * The wait after {@code attempt} failed.
     *
     * @param random a uniform draw from {@code [0, 1)}
     */
    public Duration delay(int attempt, double random) {
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1): " + random);
        }
        return Duration.ofMillis((long) Math.floor(ceiling(attempt).toMillis() * random));
    }
}
