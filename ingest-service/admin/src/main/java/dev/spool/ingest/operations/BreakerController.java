package dev.spool.ingest.operations;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/breakers} (role {@code admin}): every circuit breaker of this instance with its state and
 * counts, and a reset of one (closed, its counts emptied), for after a dependency is known to be healthy again.
 * Breakers are per instance: a reset acts on the instance that answers.
 */
@RestController
public class BreakerController {

    private static final Logger LOG = LoggerFactory.getLogger(BreakerController.class);
    private static final String FOR_OPERATORS = "Circuit breakers are for operators; ask for the admin role.";

    private final CircuitBreakerRegistry breakers;

    public BreakerController(CircuitBreakerRegistry breakers) {
        this.breakers = breakers;
    }

    @GetMapping(path = "/api/v1/admin/breakers", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list(@AuthenticationPrincipal Caller caller) {
        caller.requireAdmin(FOR_OPERATORS);
        List<Map<String, Object>> all = breakers.getAllCircuitBreakers().stream()
                .sorted(Comparator.comparing(CircuitBreaker::getName))
                .map(BreakerController::describe)
                .toList();
        return Map.of("breakers", all);
    }

    @PostMapping(path = "/api/v1/admin/breakers/{name}/reset", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> reset(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
        caller.requireAdmin(FOR_OPERATORS);
        CircuitBreaker breaker = breakers.find(name).orElseThrow(() -> new SpoolProblem(ProblemCode.BREAKER_NOT_FOUND,
                "No circuit breaker is named '" + name + "'; list them with GET /api/v1/admin/breakers."));
        CircuitBreaker.State before = breaker.getState();
        breaker.reset();
        LOG.atInfo().addKeyValue("breaker", name).addKeyValue("resetBy", caller.userId())
                .log("Circuit breaker {} reset by {} (was {})", name, caller.userId(), before);
        return describe(breaker);
    }

    /** A breaker as operators read it; {@code failureRate} is -1 until the breaker has seen its minimum of calls. */
    private static Map<String, Object> describe(CircuitBreaker breaker) {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", breaker.getName());
        view.put("state", breaker.getState().name().toLowerCase(Locale.ROOT));
        view.put("failureRate", metrics.getFailureRate());
        view.put("bufferedCalls", metrics.getNumberOfBufferedCalls());
        view.put("failedCalls", metrics.getNumberOfFailedCalls());
        view.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        return view;
    }
}
