package dev.spool.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;

/**
 * Part of ingest's readiness when the launcher runs the processor and the projection beside it: the one readiness a
 * person or a script checks ({@code /actuator/health/readiness} on the HTTP port) is UP only when uploads will also
 * be processed and projected, that is when the processor's Kafka Streams applications have all been running and its
 * extraction is warm, and the projection's listeners run. Each service's own indicators decide; this one asks them.
 */
final class PipelineReadiness implements HealthIndicator {

    /** The name under which ingest's readiness group includes it. */
    static final String NAME = "pipeline";

    private final Map<String, Indicator> indicators = new LinkedHashMap<>();

    private record Indicator(ApplicationContext context, List<String> beans) {

        boolean up() {
            return beans.stream().allMatch(bean ->
                    Status.UP.equals(context.getBean(bean, HealthIndicator.class).health().getStatus()));
        }
    }

    /** Adds a service's readiness: the indicator beans {@code beans} of {@code context}, when that service runs. */
    PipelineReadiness with(String service, ApplicationContext context, String... beans) {
        if (context != null) {
            indicators.put(service, new Indicator(context, List.of(beans)));
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
            boolean serviceUp = service.getValue().up();
            details.put(service.getKey(), serviceUp ? Status.UP.getCode() : Status.DOWN.getCode());
            up &= serviceUp;
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
