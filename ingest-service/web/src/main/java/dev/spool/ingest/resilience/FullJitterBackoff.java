package dev.spool.ingest.resilience;

import java.time.Duration;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} (1-based) is uniform in
 * {@code [0, min(max, initial * multiplier^(n-1))]}. Full jitter spreads the retries of many clients that failed
 * together, so a recovering dependency is not hit by synchronised waves.
 *
 * @param initial the cap of the first wait
 * @param multiplier growth of the cap per retry, at least 1
 * @param max the largest cap
 */
public record FullJitterBackoff(Duration initial, double multiplier, Duration max) {

    public FullJitterBackoff {
        if (initial.isNegative() || max.isNegative() || !(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff needs non-negative durations and a multiplier of at least 1");
        }
    }

    /** The cap of the wait before retry {@code retry} (1-based). */
    public long capMillis(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1: " + retry);
        }
        double cap = initial.toMillis() * Math.pow(multiplier, retry - 1);
        return (long) Math.min(max.toMillis(), cap);
    }

    /**
     * The wait before retry {@code retry}.
     *
     * @param unitRandom a uniformly random number in {@code [0, 1)}
     */
    public long delayMillis(int retry, double unitRandom) {
        if (!(unitRandom >= 0 && unitRandom < 1)) {
            throw new IllegalArgumentException("unitRandom must be in [0, 1): " + unitRandom);
        }
        return (long) (capMillis(retry) * unitRandom);
    }
}
