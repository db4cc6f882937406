package dev.spool.processor.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves forward a fixed step on every reading, so that durations come out exact. */
final class SteppingClock extends Clock {

    private final Duration step;
    private Instant next;

    SteppingClock(Instant start, Duration step) {
        this.next = start;
        this.step = step;
    }

    @Override
    public Instant instant() {
        Instant now = next;
        next = next.plus(step);
        return now;
    }

    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
