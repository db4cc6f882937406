package dev.spool.ingest.upload;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The cap on uploads this instance streams at once. A permit is taken before the request body is read, so an
 * instance at its cap refuses at once with 503 and {@code Retry-After} instead of queueing bytes it cannot store.
 */
@Component
public class UploadPermits {

    private final Semaphore permits;
    private final int capacity;

    public UploadPermits(UploadLimitProperties limits, MeterRegistry meters) {
        this.capacity = limits.maxConcurrentUploads();
        this.permits = new Semaphore(capacity);
        Gauge.builder("spool.uploads.active", this, UploadPermits::active)
                .description("Uploads being streamed by this instance").register(meters);
        Gauge.builder("spool.uploads.capacity", this, p -> p.capacity)
                .description("Most uploads this instance streams at once").register(meters);
    }

    /** Takes a permit, to be given back with {@link #release()}; fails with {@code too_busy} when none is left. */
    public void acquire() {
        if (!permits.tryAcquire()) {
            // The body is refused unread: closing the connection stops the client sending it, rather than this
            // server reading and throwing away the very bytes it is too busy for.
            throw new SpoolProblem(ProblemCode.TOO_BUSY, "This server is already receiving " + capacity
                    + " uploads; send the upload again after the Retry-After delay.")
                    .withHeader(HttpHeaders.CONNECTION, "close");
        }
    }

    /** Gives back a permit taken with {@link #acquire()}. */
    public void release() {
        permits.release();
    }

    /** Uploads in progress. */
    public int active() {
        return capacity - permits.availablePermits();
    }
}
