package dev.spool.processor.topology;

import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.metrics.JobMetrics;
import dev.spool.processor.retry.RetrySchedule;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topic;
import dev.spool.schemas.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology of one tier: its work topic in, one attempt per record (many in flight per task, kept in a
 * changelogged store until their outcome is written), and the three ways out (facts, retries, dead letters). Each
 * tier runs as its own Kafka Streams application with its own threads and job pool, so a backlog in one tier never
 * waits in front of another's jobs.
 */
public final class WorkTopology {

    /** The CloudEvents {@code source} of everything the processor writes. */
    public static final String SOURCE = "/spool/processor-streams";

    static final String WORK = "work";
    static final String ATTEMPT = "attempt";
    static final String FACTS = "facts";
    static final String RETRIES = "retries";
    static final String DEAD_LETTERS = "dead-letters";
    static final String IN_FLIGHT = "in-flight";

    /**
     * Each job writes its entry and then a tombstone, so the changelog is nearly all tombstones: compacted soon and
     * forgetting them within a minute, so that restoring a task after a crash (under exactly-once a crashed
     * instance's local state is wiped) reads little more than the jobs actually in flight.
     */
    private static final Map<String, String> IN_FLIGHT_CHANGELOG = Map.of(
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024),
            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(5).toMillis()),
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofMinutes(1).toMillis()),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");

    private WorkTopology() {
    }

    /**
     * The topology of {@code tier}.
     *
     * @param jobs the tier's job pool, where attempts run while the stream thread reads on
     * @param random uniform draws from {@code [0, 1)} for the retry jitter
     */
    public static Topology build(Priority tier, JobProcessing processing, Executor jobs, InFlightLimits limits,
            RetrySchedule schedule, DoubleSupplier random, Clock clock, JobMetrics metrics) {
        Topology topology = new Topology();
        Topic<String, JobEvent> work = Topics.jobs(tier);
        // Values are read as bytes: a record that does not decode goes to the dead letters as it was read.
        topology.addSource(WORK, work.keyDeserializer(), new ByteArrayDeserializer(), work.name());
        topology.addProcessor(ATTEMPT, () -> new JobAttemptProcessor(tier, processing, jobs, limits, schedule, random,
                clock, metrics), WORK);
        // Persistent, so that Kafka Streams keeps its process id (from which the transactional ids derive) in the
        // state folder: a restart after a crash then fences the transaction the killed instance left open, instead of
        // read-committed readers of the facts waiting out the transaction timeout.
        // Cached: a job that starts and ends between two commits leaves one tombstone in the changelog rather than
        // its whole record and a tombstone, and the cache is flushed before each commit, so a job still in flight is in
        // the changelog in the transaction that commits its input offset.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IN_FLIGHT),
                Serdes.String(), new PendingJobSerde()).withLoggingEnabled(IN_FLIGHT_CHANGELOG).withCachingEnabled(),
                ATTEMPT);
        topology.addSink(FACTS, Topics.JOB_EVENTS.name(), Topics.JOB_EVENTS.keySerializer(),
                valuesOf(Topics.JOB_EVENTS), ATTEMPT);
        // The retry of attempt n waits on retry topic n; the record carries attempt n + 1. Retry topics share a format.
        Topic<String, JobEvent> retries = Topics.retry(1);
        topology.addSink(RETRIES, (jobId, job, context) -> Topics.retry(((JobAccepted) job).attempt() - 1).name(),
                retries.keySerializer(), valuesOf(retries), ATTEMPT);
        topology.addSink(DEAD_LETTERS, Topics.DLQ.name(), Topics.DLQ.keySerializer(), valuesOf(Topics.DLQ), ATTEMPT);
        return topology;
    }

    /**
     * Writes what the processors forward in the format of {@code topic}, as the processor's own: a sink's value
     * type is erased to {@code Object}.
     */
    @SuppressWarnings("unchecked")
    static <T> Serializer<T> valuesOf(Topic<String, ?> topic) {
        return (Serializer<T>) topic.valueSerializer(SOURCE);
    }

    /** The tier topic a released job goes back to. */
    static String tierTopic(JobEvent job) {
        return Topics.jobs(((JobAccepted) job).priority()).name();
    }
}
