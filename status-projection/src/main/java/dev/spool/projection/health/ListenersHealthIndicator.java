package dev.spool.projection.health;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Whether each consumer group's listener (durable, live and dead-letter writers) runs and has joined its group: DOWN
 * while one is still joining, since it reads nothing yet, and when one stopped, as after an error it could not recover
 * from. Part of readiness.
 */
@Component("listenersHealthIndicator")
public class ListenersHealthIndicator implements HealthIndicator {

    private final KafkaListenerEndpointRegistry registry;
    private final GroupMembership membership;

    public ListenersHealthIndicator(KafkaListenerEndpointRegistry registry, GroupMembership membership) {
        this.registry = registry;
        this.membership = membership;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean up = true;
        for (MessageListenerContainer container : registry.getListenerContainers()) {
            String state = !container.isRunning() ? "stopped" : membership.hasJoined(container) ? "running" : "joining";
            states.put(container.getListenerId(), state);
            up &= "running".equals(state);
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }
}
