package dev.spool.bench;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.TopicSpec;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The ceiling of any exactly-once stage on this broker: a plain kafka-clients consume-transform-produce loop on one
 * thread (a transactional producer, a read-committed consumer, the consumed offsets sent in the transaction and one
 * commit per poll batch) that turns each work record into one completed fact. Its topics are the bench's own, with
 * the settings of {@code spool.jobs.normal} and {@code spool.job-events}, so that no Spool service reads them.
 */
final class ReferenceLoop {

    /** Work records of the reference, set up as {@code spool.jobs.normal}. */
    static final String INPUT = "bench.reference.jobs";
    /** Its facts, set up as {@code spool.job-events}. */
    static final String OUTPUT = "bench.reference.job-events";

    private static final String GROUP = "bench-reference";

    private ReferenceLoop() {
    }

    /** Both topics, with the partitions and the retention of the Spool topics they stand for. */
    static List<TopicSpec> topics() {
        TopicSpec normal = Topics.JOBS_NORMAL.spec();
        TopicSpec events = Topics.JOB_EVENTS.spec();
        return List.of(new TopicSpec(INPUT, normal.partitions(), normal.retention(), normal.compacted()),
                new TopicSpec(OUTPUT, events.partitions(), events.retention(), events.compacted()));
    }

    /**
     * Runs until {@code expected} records are committed through or {@code timeout} has passed. The clock starts at
     * the first records polled, so that joining the group (the broker delays a new group's first rebalance) is not
     * counted.
     */
    static Run run(String bootstrapServers, long expected, Duration timeout) {
        Map<String, Object> consumer = new HashMap<>();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> producer = new HashMap<>();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-reference-loop");
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        long done = 0;
        long first = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, JobEvent> in = new KafkaConsumer<>(consumer,
                Topics.JOBS_NORMAL.keyDeserializer(), Topics.JOBS_NORMAL.valueDeserializer());
                KafkaProducer<String, JobEvent> out = new KafkaProducer<>(producer,
                        Topics.JOB_EVENTS.keySerializer(), Topics.JOB_EVENTS.valueSerializer("/bench/reference"))) {
            out.initTransactions();
            in.subscribe(List.of(INPUT));
            while (done < expected && System.nanoTime() < deadline) {
                ConsumerRecords<String, JobEvent> records = in.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                if (done == 0) {
                    first = System.nanoTime();
                }
                out.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, JobEvent> record : records) {
                    JobAccepted job = (JobAccepted) record.value();
                    out.send(new ProducerRecord<>(OUTPUT, record.key(), WorkRecords.completed(job, Instant.now())));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                out.sendOffsetsToTransaction(offsets, in.groupMetadata());
                out.commitTransaction();
                done += records.count();
            }
        }
        return new Run(done, (System.nanoTime() - first) / 1e9);
    }

    /**
     * What the loop did.
     *
     * @param records records committed through
     * @param seconds from the first poll that returned records to the last commit
     */
    record Run(long records, double seconds) {
    }
}
