package dev.spool.ingest.resilience;

import dev.spool.ingest.problem.SpoolProblem;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One circuit breaker per dependency and the storage retry, exported as Micrometer metrics
 * ({@code resilience4j_circuitbreaker_state}, {@code resilience4j_retry_calls}, ...) and logged on every state
 * change.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResilienceProperties.class)
public class ResilienceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ResilienceConfiguration.class);
    private static final String STORAGE_RETRY = "s3";

    @Bean
    CircuitBreakerRegistry circuitBreakerRegistry(ResilienceProperties properties, MeterRegistry meters) {
        ResilienceProperties.Breaker breaker = properties.breaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                // Open -> half-open on the clock, not on the next call: the service recovers by itself.
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(ResilienceConfiguration::isDependencyFailure)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        registry.getEventPublisher().onEntryAdded(added -> added.getAddedEntry().getEventPublisher()
                .onStateTransition(event -> LOG.warn("Circuit breaker {} went {}", event.getCircuitBreakerName(),
                        event.getStateTransition())));
        for (Dependency dependency : Dependency.values()) {
            registry.circuitBreaker(dependency.breakerName());
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    RetryRegistry retryRegistry(ResilienceProperties properties, MeterRegistry meters) {
        ResilienceProperties.Retry retry = properties.retry();
        FullJitterBackoff backoff = new FullJitterBackoff(retry.initialBackoff(), retry.multiplier(),
                retry.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, outcome) ->
                backoff.delayMillis(attempt, ThreadLocalRandom.current().nextDouble());
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(RetryableFailures::isRetryable)
                .failAfterMaxAttempts(false)
                .build();
        RetryRegistry registry = RetryRegistry.of(config);
        registry.retry(STORAGE_RETRY).getEventPublisher().onRetry(event -> LOG.info(
                "Retrying an S3 call (attempt {}) in {} ms after {}", event.getNumberOfRetryAttempts() + 1,
                event.getWaitInterval().toMillis(), String.valueOf(event.getLastThrowable())));
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    DependencyGuard dependencyGuard(CircuitBreakerRegistry breakers, RetryRegistry retries,
            ResilienceProperties properties) {
        return new DependencyGuard(breakers, retries.retry(STORAGE_RETRY), properties.breaker().waitInOpen());
    }

    /** A guard built without a Spring context, for tools and tests. */
    public static DependencyGuard standalone(ResilienceProperties properties, MeterRegistry meters) {
        ResilienceConfiguration configuration = new ResilienceConfiguration();
        return configuration.dependencyGuard(configuration.circuitBreakerRegistry(properties, meters),
                configuration.retryRegistry(properties, meters), properties);
    }

    /**
     * Failures that say something about the dependency. A caller's problem (an unsupported file, a missing key)
     * must never open a breaker; for Kafka, Redis and MongoDB every exception is the dependency's.
     */
    private static boolean isDependencyFailure(Throwable failure) {
        Throwable e = RetryableFailures.unwrap(failure);
        if (e instanceof SdkException) {
            return RetryableFailures.isRetryable(e);
        }
        return !(e instanceof SpoolProblem);
    }
}
