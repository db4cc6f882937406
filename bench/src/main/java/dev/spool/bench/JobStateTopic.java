package dev.spool.bench;

import dev.spool.schemas.topic.Topic;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What the projection has done, read from the broker: each writer's group offsets say how far it has written (a
 * batch's offsets are committed once the batch is stored), and the compacted {@code spool.job-state}, where the
 * durable writer publishes each job's view, says which jobs ended completed.
 */
final class JobStateTopic implements AutoCloseable {


    private final Admin admin;
    private final String bootstrapServers;

    JobStateTopic(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Whether {@code group} has read every record of {@code spool.job-events} and {@code spool.job-progress}.
     * A listener commits the offset after the record it handled, and a transaction's commit marker follows the last
     * fact of each partition, so a group that is through stands one short of the end of {@code spool.job-events}.
     */
    boolean through(String group) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return read(committed, endOffsets(Topics.JOB_EVENTS), 1)
                && read(committed, endOffsets(Topics.JOB_PROGRESS), 0);
    }

    private static boolean read(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends,
            long markers) {
        return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || committed.get(end.getKey()) != null
                && committed.get(end.getKey()).offset() >= end.getValue() - markers);
    }

    private Map<TopicPartition, Long> endOffsets(Topic<?, ?> topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        IntStream.range(0, topic.spec().partitions())
                .forEach(partition -> latest.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Jobs whose latest published view is completed, read from the start of the topic. */
    long completedViews(Duration timeout) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = endOffsets(Topics.JOB_STATE);
        Map<String, JobStatus> latest = new HashMap<>();
        try (KafkaConsumer<String, JobView> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), Topics.JOB_STATE.keyDeserializer(), Topics.JOB_STATE.valueDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(ends.keySet());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, JobView> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value() == null ? null : record.value().status());
                }
            }
        }
        return latest.values().stream().filter(JobStatus.COMPLETED::equals).count();
    }

    @Override
    public void close() {
        admin.close();
    }
}
