package dev.spool.processor.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spool.processor.config.ProcessorProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The breaker's refusals are waited out, not failed attempts; what reached storage and failed still fails. */
class StorageBreakerTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void aCallTheOpenBreakerRefusesWaitsForItsTrialAndGoesThrough() throws Exception {
        CircuitBreaker breaker = breaker(Duration.ofMillis(200));
        StorageBreaker storage = new StorageBreaker(breaker, Duration.ofSeconds(30)).register(meters);
        breaker.transitionToOpenState();
        AtomicInteger calls = new AtomicInteger();

        String result = storage.call(() -> {
            calls.incrementAndGet();
            return "stored";
        });

        assertThat(result).isEqualTo("stored");
        assertThat(calls).hasValue(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(meters.get("spool.processor.storage.waiting").gauge().value()).isZero();
    }

    @Test
    void aCallRefusedForLongerThanTheLongestWaitFailsWithTheRefusalWithoutReachingStorage() {
        CircuitBreaker breaker = breaker(Duration.ofMinutes(5));
        StorageBreaker storage = new StorageBreaker(breaker, Duration.ofMillis(300));
        breaker.transitionToOpenState();
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> storage.run(calls::incrementAndGet)).isInstanceOf(CallNotPermittedException.class);
        assertThat(calls).hasValue(0);
    }

    @Test
    void whileACallWaitsTheGaugeCountsIt() throws Exception {
        CircuitBreaker breaker = breaker(Duration.ofMinutes(5));
        StorageBreaker storage = new StorageBreaker(breaker, Duration.ofMinutes(1)).register(meters);
        breaker.transitionToOpenState();

        CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return storage.call(() -> "through");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("spool.processor.storage.waiting").gauge().value() == 1.0);
        breaker.transitionToClosedState();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("through");
        assertThat(meters.get("spool.processor.storage.waiting").gauge().value()).isZero();
    }

    @Test
    void anInterruptedWaitFailsAtOnceAndKeepsTheInterrupt() {
        CircuitBreaker breaker = breaker(Duration.ofMinutes(5));
        StorageBreaker storage = new StorageBreaker(breaker, Duration.ofMinutes(5));
        breaker.transitionToOpenState();

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> storage.call(() -> "never")).isInstanceOf(CallNotPermittedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void outagesOpenTheBreakerAndAMissingObjectDoesNot() {
        CircuitBreaker breaker = breaker(Duration.ofMinutes(5));
        StorageBreaker storage = new StorageBreaker(breaker, Duration.ZERO);
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> storage.run(() -> {
                throw NoSuchKeyException.builder().statusCode(404).message("gone").build();
            })).isInstanceOf(NoSuchKeyException.class);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> storage.run(() -> {
                throw AwsServiceException.builder().statusCode(503).message("slow down").build();
            })).isInstanceOf(AwsServiceException.class);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private CircuitBreaker breaker(Duration waitInOpen) {
        return StorageBreaker.circuitBreaker(new ProcessorProperties.StorageBreaker(50, 10, 5, waitInOpen,
                Duration.ofSeconds(60)), meters);
    }
}
