package dev.spool.ingest.health;

import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The state of each dependency's circuit breaker. An open breaker reports {@code CIRCUIT_OPEN}, which shows in
 * {@code /actuator/health} without turning the whole service DOWN (the breaker already answers for its dependency)
 * and is not part of readiness.
 */
@Component("breakersHealthIndicator")
public class BreakerHealthIndicator implements HealthIndicator {

    /** Reported while any breaker is open. */
    static final Status CIRCUIT_OPEN = new Status("CIRCUIT_OPEN", "A dependency's circuit breaker is open");

    private final DependencyGuard guard;

    public BreakerHealthIndicator(DependencyGuard guard) {
        this.guard = guard;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean open = false;
        for (Dependency dependency : Dependency.values()) {
            CircuitBreaker.State state = guard.breaker(dependency).getState();
            states.put(dependency.breakerName(), state.name());
            open |= state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        }
        return Health.status(open ? CIRCUIT_OPEN : Status.UP).withDetails(states).build();
    }
}
