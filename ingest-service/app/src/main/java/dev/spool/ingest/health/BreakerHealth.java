package dev.spool.ingest.health;

import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One health component per dependency's circuit breaker, under {@code breakers}: {@code breakers.s3},
 * {@code breakers.kafka}, {@code breakers.redis}, {@code breakers.mongodb}. An open breaker reports
 * {@code CIRCUIT_OPEN}, which shows in {@code /actuator/health} without turning the service DOWN (the breaker
 * already answers for its dependency) and is not part of readiness.
 */
@Configuration(proxyBeanMethods = false)
public class BreakerHealth {

    /** Reported while a breaker is open. */
    static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN", "The dependency's circuit breaker is open");

    @Bean("breakersHealthContributor")
    CompositeHealthContributor breakersHealthContributor(DependencyGuard guard) {
        Map<String, HealthIndicator> breakers = new LinkedHashMap<>();
        for (Dependency dependency : Dependency.values()) {
            breakers.put(dependency.breakerName(), () -> health(guard.breaker(dependency)));
        }
        return CompositeHealthContributor.fromMap(breakers);
    }

    static Health health(CircuitBreaker breaker) {
        CircuitBreaker.State state = breaker.getState();
        boolean open = state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        return Health.status(open ? CIRCUIT_OPEN : Status.UP)
                .withDetail("state", state.name())
                .withDetail("failureRate", breaker.getMetrics().getFailureRate())
                .build();
    }
}
