package dev.spool.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;

/**
 * Part of ingest's readiness when the launcher runs the processor and the projection beside it: the one readiness a
 * person or a script checks ({@code /actuator/health/readiness} on the HTTP port) is UP only when uploads will also
 * be processed and projected, that is when the processor's Kafka Streams applications have all been running and the
 * projection's listeners run. Each service's own indicator decides; this one asks them.
 */
final class PipelineReadiness implements HealthIndicator {

    /** The name under which ingest's readiness group includes it. */
    static final String NAME = "pipeline";

    private final Map<String, Indicator> indicators = new LinkedHashMap<>();

    private record Indicator(ApplicationContext context, String bean) {

        Health health() {
            return context.getBean(bean, HealthIndicator.class).health();
        }
    }

    /** Adds a service's readiness: the indicator bean {@code bean} of {@code context}, when that service runs. */
    PipelineReadiness with(String service, ApplicationContext context, String bean) {
        if (context != null) {
            indicators.put(service, new Indicator(context, bean));
        }
        return this;
    }

    boolean isEmpty() {
        return indicators.isEmpty();
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (Map.Entry<String, Indicator> service : indicators.entrySet()) {
            Health health = service.getValue().health();
            details.put(service.getKey(), health.getStatus().getCode());
            up &= Status.UP.equals(health.getStatus());
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
