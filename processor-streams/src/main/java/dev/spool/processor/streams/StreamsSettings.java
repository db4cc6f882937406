package dev.spool.processor.streams;

import dev.spool.processor.config.ProcessorProperties;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** The Kafka Streams configuration of the processor, derived from its properties and the environment. */
public final class StreamsSettings {

    private StreamsSettings() {
    }

    public static Properties of(ProcessorProperties processor, String bootstrapServers, int replicationFactor) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, processor.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, processor.stateDir());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, processor.streamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, processor.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        // Jobs run inside the stream thread and inside its open transaction: both limits must outlast the slowest
        // job (plus a margin), or the broker aborts the transaction and the thread is fenced mid-batch.
        long limitMillis = processor.maxJobDuration().multipliedBy(2).toMillis();
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int) limitMillis);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), (int) limitMillis);
        // Few records per poll: each one may take seconds, and a smaller batch keeps the poll interval honest.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 10);
        // A record that cannot be decoded is logged and skipped rather than stopping every job behind it.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        return props;
    }
}
