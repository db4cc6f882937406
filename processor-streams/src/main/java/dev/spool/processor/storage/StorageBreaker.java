package dev.spool.processor.storage;

import dev.spool.processor.config.ProcessorProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedRunnable;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The circuit breaker around S3. It counts only failures that say storage is unwell (connection errors, timeouts,
 * 429 and 5xx), never a missing object or a refused request, and logs and exports its state.
 */
public final class StorageBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(StorageBreaker.class);

    private StorageBreaker() {
    }

    /** A breaker named {@code s3} with {@code settings}, its state exported as {@code spool.processor.storage.breaker}. */
    public static CircuitBreaker create(ProcessorProperties.StorageBreaker settings, MeterRegistry meters) {
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

    /** Runs {@code call} through {@code breaker}; an open breaker throws {@code CallNotPermittedException}. */
    static void run(CircuitBreaker breaker, CheckedRunnable call) throws Exception {
        try {
            breaker.executeCheckedRunnable(call);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
        }
    }

    /** Calls {@code call} through {@code breaker} for its result; an open breaker throws {@code CallNotPermittedException}. */
    static <T> T call(CircuitBreaker breaker, CheckedSupplier<T> call) throws Exception {
        try {
            return breaker.executeCheckedSupplier(call);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable other) {
            throw new IllegalStateException(other);
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
