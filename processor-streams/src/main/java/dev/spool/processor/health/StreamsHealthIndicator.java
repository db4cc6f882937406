package dev.spool.processor.health;

import dev.spool.processor.streams.StreamsLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The state of each Kafka Streams application: UP while every one is running or rebalancing, DOWN when one has
 * stopped or failed (it lost Kafka for good, or could not start). Part of readiness when run on its own.
 */
@Component("streamsHealthIndicator")
public class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsLifecycle streams;

    public StreamsHealthIndicator(StreamsLifecycle streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        Map<String, Object> states = new LinkedHashMap<>();
        boolean up = true;
        for (String name : streams.names()) {
            KafkaStreams.State state = streams.state(name);
            states.put(name, state.name());
            up &= state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                    || state == KafkaStreams.State.CREATED;
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }
}
