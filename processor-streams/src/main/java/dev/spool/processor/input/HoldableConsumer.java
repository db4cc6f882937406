package dev.spool.processor.input;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A stream thread's main consumer that its tasks can ask to hold back their own partitions ({@link InputHold}).
 * Kafka Streams pauses and resumes partitions itself (a task's buffer full, then drained); a partition is fetched
 * only while neither it nor a task holds it, so Kafka Streams resuming a partition never undoes a task's hold. Holds
 * end with the partition's assignment.
 *
 * <p>Everything here runs on the stream thread that polls it, as the consumer itself requires.
 */
final class HoldableConsumer extends KafkaConsumer<byte[], byte[]> implements InputHold {

    private static final ThreadLocal<HoldableConsumer> POLLING = new ThreadLocal<>();

    private final Set<TopicPartition> held = new HashSet<>();
    private final Set<TopicPartition> pausedByStreams = new HashSet<>();

    HoldableConsumer(Map<String, Object> config) {
        super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static InputHold pollingOnCurrentThread() {
        HoldableConsumer consumer = POLLING.get();
        return consumer == null ? NONE : consumer;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        // Tasks are created, and process their records, on the thread that polls: that is where they find it.
        POLLING.set(this);
        return super.poll(timeout);
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        pausedByStreams.addAll(partitions);
        super.pause(partitions);
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        pausedByStreams.removeAll(partitions);
        super.resume(partitions.stream().filter(partition -> !held.contains(partition)).toList());
    }

    @Override
    public void hold(TopicPartition partition) {
        if (held.add(partition) && assignment().contains(partition)) {
            super.pause(List.of(partition));
        }
    }

    @Override
    public void release(TopicPartition partition) {
        if (held.remove(partition) && !pausedByStreams.contains(partition) && assignment().contains(partition)) {
            super.resume(List.of(partition));
        }
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        super.subscribe(topics, new ForgetOnRevocation(listener));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        super.subscribe(pattern, new ForgetOnRevocation(listener));
    }

    /** Kafka Streams' own listener, after which the pauses of partitions no longer assigned are forgotten. */
    private final class ForgetOnRevocation implements ConsumerRebalanceListener {

        private final ConsumerRebalanceListener streams;

        ForgetOnRevocation(ConsumerRebalanceListener streams) {
            this.streams = streams;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            streams.onPartitionsRevoked(partitions);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            streams.onPartitionsAssigned(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            streams.onPartitionsLost(partitions);
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            pausedByStreams.removeAll(partitions);
        }
    }
}
