package dev.spool.projection.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Whether each consumer group's listener runs (durable, live and dead-letter writers): DOWN when one stopped, as
 * after an error it could not recover from. Part of readiness when run on its own.
 */
@Component("listenersHealthIndicator")
public class ListenersHealthIndicator implements HealthIndicator {

    private final KafkaListenerEndpointRegistry registry;

    public ListenersHealthIndicator(KafkaListenerEndpointRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean up = true;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            boolean running = container.isRunning();
            states.put(container.getListenerId(), running ? "running" : "stopped");
            up &= running;
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }
}
