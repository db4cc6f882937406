package dev.spool.processor.streams;

import dev.spool.processor.input.HoldableClientSupplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the processor's Kafka Streams applications (one per tier, one for the delay stage) with the context and
 * closes them, in parallel and each within a timeout, on shutdown. Each exports its client metrics (consumer lag
 * among them) tagged with its name.
 */
public final class StreamsLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsLifecycle.class);

    private final Map<String, Application> applications;
    private final Duration closeTimeout;
    private final MeterRegistry meters;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Set<String> hasRun = ConcurrentHashMap.newKeySet();

    /**
     * One Kafka Streams application.
     *
     * @param topology builds its topology
     * @param settings its configuration
     */
    public record Application(Supplier<Topology> topology, Properties settings) {
    }

    private record Running(KafkaStreams streams, KafkaStreamsMetrics metrics) {
    }

    public StreamsLifecycle(Map<String, Application> applications, Duration closeTimeout, MeterRegistry meters) {
        this.applications = new LinkedHashMap<>(Objects.requireNonNull(applications, "applications"));
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public synchronized void start() {
        if (!running.isEmpty()) {
            return;
        }
        applications.forEach((name, application) -> {
            KafkaStreams streams = new KafkaStreams(application.topology().get(), application.settings(),
                    new HoldableClientSupplier());
            streams.setStateListener((now, before) -> {
                LOG.info("Kafka Streams {}: {} -> {}", name, before, now);
                if (now == KafkaStreams.State.RUNNING) {
                    hasRun.add(name);
                }
            });
            // Job failures never reach here; what does (producer fencing, broker loss) is survivable with a new thread.
            streams.setUncaughtExceptionHandler(error -> {
                LOG.error("Stream thread of {} died; replacing it", name, error);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("application", name));
            metrics.bindTo(meters);
            streams.start();
            running.put(name, new Running(streams, metrics));
        });
    }

    @Override
    public synchronized void stop() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        running.forEach((name, app) -> closing.add(CompletableFuture.runAsync(() -> {
            // Leaving the groups hands the tasks to the other instances at once, instead of after the session
            // timeout that a static member otherwise keeps them for; one that comes back rejoins as the same member.
            if (!app.streams().close(CloseOptions.timeout(closeTimeout)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
                LOG.warn("Kafka Streams {} did not close within {}", name, closeTimeout);
            }
            app.metrics().close();
        })));
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
        running.clear();
        hasRun.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !running.isEmpty();
    }

    /** The state of application {@code name}, or {@code NOT_RUNNING} when stopped; for health checks and tests. */
    public synchronized KafkaStreams.State state(String name) {
        Running app = running.get(name);
        return app == null ? KafkaStreams.State.NOT_RUNNING : app.streams().state();
    }

    /**
     * Whether application {@code name} has been {@code RUNNING} since it was started: its first rebalance is over,
     * its tasks are assigned and their state restored, so it processes records.
     */
    public boolean hasRun(String name) {
        return hasRun.contains(name);
    }

    /** The names of the applications, in start order. */
    public List<String> names() {
        return List.copyOf(applications.keySet());
    }
}
