package dev.spool.processor.streams;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Starts the one {@link KafkaStreams} instance with the context and closes it, within a timeout, on shutdown. */
public final class StreamsLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

    private final Supplier<Topology> topology;
    private final Properties settings;
    private final Duration closeTimeout;
    private KafkaStreams streams;

    public StreamsLifecycle(Supplier<Topology> topology, Properties settings, Duration closeTimeout) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    @Override
    public synchronized void start() {
        if (streams != null) {
            return;
        }
        streams = new KafkaStreams(topology.get(), settings);
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
        // Job failures never reach here; what does (producer fencing, broker loss) is survivable with a new thread.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("Stream thread died; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
    }

    @Override
    public synchronized void stop() {
        if (streams == null) {
            return;
        }
        if (!streams.close(closeTimeout)) {
            LOG.warn("Kafka Streams did not close within {}", closeTimeout);
        }
        streams = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return streams != null;
    }

    /** The current state, or {@code NOT_RUNNING} when stopped; for health checks and tests. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
    }
}
