package dev.spool.processor.health;

import dev.spool.processor.streams.StreamsLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The state of each Kafka Streams application, for readiness: DOWN until every one has been {@code RUNNING} (its
 * first rebalance over, its tasks assigned and restored), so that ready means jobs are processed; then UP while
 * every one runs or rebalances (a later rebalance, as instances come and go, does not take the instance out);
 * DOWN when one has stopped or failed (it lost Kafka for good, or could not start).
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
            boolean started = streams.hasRun(name);
            states.put(name, started ? state.name() : state.name() + " (first rebalance not over)");
            up &= started && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        }
        return (up ? Health.up() : Health.down()).withDetails(states).build();
    }
}
