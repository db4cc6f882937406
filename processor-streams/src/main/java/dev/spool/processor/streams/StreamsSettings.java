package dev.spool.processor.streams;

import dev.spool.processor.config.ProcessorProperties;
import dev.spool.schemas.event.Priority;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of one of the processor's applications. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    /**
     * Settings for the application {@code <applicationId>-<name>} with {@code threads} stream threads.
     */
    public static Properties of(ProcessorProperties processor, String name, int threads, String bootstrapServers,
            int replicationFactor) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, processor.applicationId() + "-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, processor.stateDir());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, processor.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, processor.standbyReplicas());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) processor.transactionTimeout().toMillis());
        // A third of the session, as Kafka's own defaults: two heartbeats may be lost before the member is.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) processor.sessionTimeout().toMillis());
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) processor.sessionTimeout().toMillis() / 3);
        if (processor.instanceId() != null && !processor.instanceId().isBlank()) {
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), processor.instanceId());
        }
        return props;
    }

    /**
     * Settings for the application of {@code tier}. A poll reads, and a task buffers, at most one task's worth of
     * in-flight jobs, which bounds what waits in a full task once it holds back its partition; and a thread with jobs
     * in flight but nothing to read polls no longer than the drain interval, so finished jobs are written soon.
     */
    public static Properties forTier(ProcessorProperties processor, Priority tier, String bootstrapServers,
            int replicationFactor) {
        Properties props = of(processor, tier.wireName(), processor.capacity().of(tier).threads(), bootstrapServers,
                replicationFactor);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), processor.inFlight().perTask());
        props.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, processor.inFlight().perTask());
        props.put(StreamsConfig.POLL_MS_CONFIG, Math.max(1, processor.inFlight().drainInterval().toMillis()));
        return props;
    }
}
