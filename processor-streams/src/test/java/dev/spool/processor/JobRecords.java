package dev.spool.processor;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topic;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads job events from the shared broker, from the start of a topic, until a condition on what was read holds. */
final class JobRecords {

    private JobRecords() {
    }

    /**
     * The events on {@code topic} whose key is in {@code jobIds}, read from the beginning until {@code done} accepts
     * all read so far or {@code deadline} passes (then it fails).
     *
     * @param committedOnly read as a read-committed consumer (the facts) or see everything written (signals)
     */
    static List<JobEvent> readUntil(Topic<String, JobEvent> topic, boolean committedOnly, Predicate<String> jobIds,
            Predicate<List<JobEvent>> done, Duration deadline) {
        List<JobEvent> read = new ArrayList<>();
        try (KafkaConsumer<String, JobEvent> consumer = consumer(topic, committedOnly)) {
            consumer.subscribe(List.of(topic.name()));
            long end = System.nanoTime() + deadline.toNanos();
            while (System.nanoTime() < end) {
                collect(consumer, jobIds, read);
                if (done.test(read)) {
                    return read;
                }
            }
        }
        throw new AssertionError("the events on " + topic + " did not reach the expected state within " + deadline
                + "; read " + read.size());
    }

    /** The events on {@code topic} whose key is in {@code jobIds}, from the beginning, as read within {@code period}. */
    static List<JobEvent> readFor(Topic<String, JobEvent> topic, boolean committedOnly, Predicate<String> jobIds, Duration period) {
        List<JobEvent> read = new ArrayList<>();
        try (KafkaConsumer<String, JobEvent> consumer = consumer(topic, committedOnly)) {
            consumer.subscribe(List.of(topic.name()));
            long end = System.nanoTime() + period.toNanos();
            while (System.nanoTime() < end) {
                collect(consumer, jobIds, read);
            }
        }
        return read;
    }

    private static KafkaConsumer<String, JobEvent> consumer(Topic<String, JobEvent> topic, boolean committedOnly) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        return new KafkaConsumer<>(config, topic.keyDeserializer(), topic.valueDeserializer());
    }

    private static void collect(KafkaConsumer<String, JobEvent> consumer, Predicate<String> jobIds, List<JobEvent> read) {
        for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.value() != null && jobIds.test(record.key())) {
                read.add(record.value());
            }
        }
    }

    /** How many of {@code events} are of {@code type}. */
    static long count(List<JobEvent> events, Class<? extends JobEvent> type) {
        return events.stream().filter(type::isInstance).count();
    }
}
