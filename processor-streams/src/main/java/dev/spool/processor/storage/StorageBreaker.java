package dev.spool.processor.storage;

import dev.spool.processor.config.ProcessorProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedRunnable;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The circuit breaker around S3. It counts only failures that say storage is unwell (connection errors, timeouts,
 * 429 and 5xx), never a missing object or a refused request, and logs and exports its state.
 *
 * <p>A call the breaker refuses waits for it, up to {@code maxWait}, instead of failing: a refusal is not an attempt
 * that storage failed, and when refusals counted as failed attempts, one open period of a few seconds used up the
 * retries of every job read meanwhile and dead-lettered jobs whose documents were fine. Only a call that reached
 * storage, or a wait beyond {@code maxWait}, fails the attempt.
 */
public final class StorageBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(StorageBreaker.class);
    /** Waiting calls ask the breaker again after 100 ms plus up to this much jitter, so they do not ask in step. */
    private static final long POLL_MILLIS = 100;

    private final CircuitBreaker breaker;
    private final Duration maxWait;
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param breaker the breaker the calls go through
     * @param maxWait longest a refused call waits for the breaker before it fails with the refusal
     */
    public StorageBreaker(CircuitBreaker breaker, Duration maxWait) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /**
     * A breaker named {@code s3} with {@code settings}, its state exported as {@code spool.processor.storage.breaker}.
     */
    public static CircuitBreaker circuitBreaker(ProcessorProperties.StorageBreaker settings, MeterRegistry meters) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(StorageBreaker::isOutage)
                .build();
        CircuitBreaker breaker = CircuitBreaker.of("s3", config);
        breaker.getEventPublisher().onStateTransition(event -> LOG.warn("Storage circuit breaker {} -> {}",
                event.getStateTransition().getFromState(), event.getStateTransition().getToState()));
        Gauge.builder("spool.processor.storage.breaker", breaker, b -> b.getState().getOrder())
                .description("State of the S3 circuit breaker: 0 closed, 1 open, 2 half-open, and beyond for forced states")
                .register(meters);
        return breaker;
    }

    /** Exports how many calls wait for the breaker now, as {@code spool.processor.storage.waiting}. */
    public StorageBreaker register(MeterRegistry meters) {
        Gauge.builder("spool.processor.storage.waiting", waiting, AtomicInteger::get)
                .description("Storage calls waiting for the S3 circuit breaker to let them through")
                .register(meters);
        return this;
    }

    /** Runs {@code call} through the breaker, waiting while it refuses, up to the longest wait. */
    public void run(CheckedRunnable call) throws Exception {
        call(() -> {
            call.run();
            return null;
        });
    }

    /**
     * Calls {@code call} through the breaker for its result, waiting while it refuses; past the longest wait, or when
     * interrupted, throws the breaker's {@code CallNotPermittedException}.
     */
    public <T> T call(CheckedSupplier<T> call) throws Exception {
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean counted = false;
        try {
            while (true) {
                try {
                    return breaker.executeCheckedSupplier(call);
                } catch (CallNotPermittedException refused) {
                    if (!counted) {
                        counted = true;
                        waiting.incrementAndGet();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !pause(Math.min(Duration.ofNanos(left).toMillis() + 1,
                            POLL_MILLIS + ThreadLocalRandom.current().nextLong(POLL_MILLIS)))) {
                        throw refused;
                    }
                }
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        } finally {
            if (counted) {
                waiting.decrementAndGet();
            }
        }
    }

    /** Sleeps; false when interrupted, the interrupt kept for the caller. */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether {@code failure} says storage is unwell rather than that this request was wrong. */
    static boolean isOutage(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            return service.statusCode() == 429 || service.statusCode() >= 500;
        }
        return failure instanceof SdkClientException || failure instanceof IOException;
    }
}
