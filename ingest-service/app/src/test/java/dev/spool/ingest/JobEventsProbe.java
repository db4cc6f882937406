package dev.spool.ingest;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads the committed facts on the job-events topic, to tell which jobs exist and which were deleted. */
public final class JobEventsProbe {

    private JobEventsProbe() {
    }

    /** Every committed {@code job.accepted} fact of {@code ownerId}, read from the beginning to the current end. */
    public static List<JobAccepted> acceptedFor(String bootstrapServers, String ownerId) {
        List<JobAccepted> found = new ArrayList<>();
        for (JobEvent event : facts(bootstrapServers)) {
            if (event instanceof JobAccepted accepted && ownerId.equals(accepted.ownerId())) {
                found.add(accepted);
            }
        }
        return found;
    }

    /** The ids of the jobs with a committed {@code job.deleted} fact, read from the beginning to the current end. */
    public static Set<String> deletedJobs(String bootstrapServers) {
        Set<String> found = new HashSet<>();
        for (JobEvent event : facts(bootstrapServers)) {
            if (event instanceof JobDeleted deleted) {
                found.add(deleted.jobId());
            }
        }
        return found;
    }

    private static List<JobEvent> facts(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<JobEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, JobEvent> consumer = new KafkaConsumer<>(config,
                Topics.JOB_EVENTS.keyDeserializer(), Topics.JOB_EVENTS.valueDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_EVENTS.name(), Duration.ofSeconds(10))
                    .stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job-events not read to its end in 30 s");
                }
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        found.add(record.value());
                    }
                }
            }
        }
        return found;
    }
}
