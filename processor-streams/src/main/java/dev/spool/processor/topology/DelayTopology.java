package dev.spool.processor.topology;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The delay stage as its own Kafka Streams application: every retry topic in, each job held in a persistent store
 * until it is due, then released into its tier's topic (see {@link DelayStage}).
 */
public final class DelayTopology {

    static final String RETRIES = "retries";
    static final String DELAY = "delay";
    static final String WAITING = "waiting-retries";
    static final String RELEASE = "release";
    static final String DEAD_LETTERS = "dead-letters";

    private DelayTopology() {
    }

    /**
     * The delay topology for {@code retries} retry topics.
     *
     * @param interval how often due jobs are released; the lateness of a retry is at most this
     */
    public static Topology build(int retries, Duration interval, Clock clock) {
        Topology topology = new Topology();
        String[] retryTopics = IntStream.rangeClosed(1, retries).mapToObj(attempt -> Topics.retry(attempt).name())
                .toArray(String[]::new);
        // Values are kept as bytes: a waiting job is released as it was written, and one that does not decode goes
        // to the dead letters as it was read.
        topology.addSource(RETRIES, Topics.retry(1).keyDeserializer(), new ByteArrayDeserializer(), retryTopics);
        topology.addProcessor(DELAY, () -> new DelayStage(interval, clock), RETRIES);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING), Serdes.String(),
                Serdes.ByteArray()), DELAY);
        // The tier topics share one format.
        topology.addSink(RELEASE, (jobId, job, context) -> WorkTopology.tierTopic((JobEvent) job),
                Topics.JOBS_NORMAL.keySerializer(), WorkTopology.valuesOf(Topics.JOBS_NORMAL), DELAY);
        topology.addSink(DEAD_LETTERS, Topics.DLQ.name(), Topics.DLQ.keySerializer(), WorkTopology.valuesOf(Topics.DLQ),
                DELAY);
        return topology;
    }
}
