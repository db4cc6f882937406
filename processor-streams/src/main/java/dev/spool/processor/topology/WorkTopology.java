package dev.spool.processor.topology;

import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.metrics.JobMetrics;
import dev.spool.processor.retry.RetrySchedule;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Priority;
import dev.spool.schemas.topic.Topics;
import java.time.Clock;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology of one tier: its work topic in, one attempt per record, and the three ways out (facts, retries,
 * dead letters). Each tier runs as its own Kafka Streams application with its own threads, so a backlog in one tier
 * never waits in front of another's jobs.
 */
public final class WorkTopology {

    /** The CloudEvents {@code source} of everything the processor writes. */
    public static final String SOURCE = "/spool/processor-streams";

    static final String WORK = "work";
    static final String ATTEMPT = "attempt";
    static final String FACTS = "facts";
    static final String RETRIES = "retries";
    static final String DEAD_LETTERS = "dead-letters";
    static final String PROCESS_IDENTITY = "process-identity";

    private WorkTopology() {
    }

    /**
     * The topology of {@code tier}.
     *
     * @param random uniform draws from {@code [0, 1)} for the retry jitter
     */
    public static Topology build(Priority tier, JobProcessing processing, RetrySchedule schedule, DoubleSupplier random,
            Clock clock, JobMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(WORK, new StringDeserializer(), new ByteArrayDeserializer(), tier.topic());
        topology.addProcessor(ATTEMPT, () -> new JobAttemptProcessor(tier, processing, schedule, random, clock, metrics),
                WORK);
        // Kafka Streams keeps its process id, from which the transactional ids derive, in the state folder only when
        // the application has a persistent store; a stateless one draws a new id at every start. A restart after a
        // crash would then not fence the transaction the killed instance left open, and read-committed readers of
        // every partition it wrote (job facts among them) would wait for the transaction timeout, twice
        // spool.processor.max-job-duration. This store is never written and has no changelog: it is the identity.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PROCESS_IDENTITY),
                Serdes.String(), Serdes.String()).withLoggingDisabled(), ATTEMPT);
        topology.addSink(FACTS, Topics.JOB_EVENTS, new StringSerializer(), events(), ATTEMPT);
        // The retry of attempt n waits on retry topic n; the record carries attempt n + 1.
        topology.addSink(RETRIES, (jobId, job, context) -> Topics.retry(((JobAccepted) job).attempt() - 1),
                new StringSerializer(), events(), ATTEMPT);
        topology.addSink(DEAD_LETTERS, Topics.DLQ, new StringSerializer(), rawBytes(), ATTEMPT);
        return topology;
    }

    /** Writes what the processors forward as events; the sink's value type is erased to {@code Object}. */
    @SuppressWarnings("unchecked")
    static <T> Serializer<T> events() {
        return (Serializer<T>) new JobEventSerializer(SOURCE);
    }

    @SuppressWarnings("unchecked")
    static <T> Serializer<T> rawBytes() {
        return (Serializer<T>) new ByteArraySerializer();
    }

    /** The tier topic a released job goes back to. */
    static String tierTopic(JobEvent job) {
        return ((JobAccepted) job).priority().topic();
    }
}
