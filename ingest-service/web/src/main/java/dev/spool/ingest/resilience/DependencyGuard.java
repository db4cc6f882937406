package dev.spool.ingest.resilience;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Wraps calls to a dependency in its circuit breaker, and storage calls in retries as well. The breaker sits inside
 * the retry: every attempt counts towards the failure rate, and once the breaker is open the retry stops at once
 * because an open breaker is not a retryable failure. An open breaker becomes the dependency's 503 problem with a
 * {@code Retry-After} of the breaker's wait.
 */
public final class DependencyGuard {

    private final CircuitBreakerRegistry breakers;
    private final Retry storageRetry;
    private final Duration openWait;

    public DependencyGuard(CircuitBreakerRegistry breakers, Retry storageRetry, Duration openWait) {
        this.breakers = breakers;
        this.storageRetry = storageRetry;
        this.openWait = openWait;
    }

    /** An S3 call: retried when the failure is retryable, behind the S3 breaker. {@code call} must be lazy. */
    public <T> Mono<T> storage(Mono<T> call) {
        return call.transform(CircuitBreakerOperator.of(breaker(Dependency.S3)))
                .transform(RetryOperator.of(storageRetry))
                .onErrorMap(CallNotPermittedException.class, e -> open(ProblemCode.STORAGE_UNAVAILABLE, e));
    }

    /** A call to {@code dependency} behind its breaker; an open breaker fails with {@code problem}. */
    public <T> Mono<T> call(Dependency dependency, ProblemCode problem, Mono<T> call) {
        return call.transform(CircuitBreakerOperator.of(breaker(dependency)))
                .onErrorMap(CallNotPermittedException.class, e -> open(problem, e));
    }

    /** The breaker of {@code dependency}. */
    public CircuitBreaker breaker(Dependency dependency) {
        return breakers.circuitBreaker(dependency.breakerName());
    }

    private SpoolProblem open(ProblemCode code, CallNotPermittedException e) {
        return new SpoolProblem(code, e).withRetryAfter(openWait);
    }
}
