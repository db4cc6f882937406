package dev.spool.ingest.publish;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tells whether a job's acceptance is already on the job-events topic, for a caller that cannot know whether an
 * earlier attempt to publish it committed: a process that died between Kafka's acknowledgement and recording it, or
 * a commit whose answer was lost. It reads the partition the job's key maps to, committed records only, from a little
 * before the earlier attempt up to the high watermark as it stood when asked. A transaction still open below that
 * mark (a dead producer's, until the broker aborts it after {@code spool.ingest.publish-transaction-timeout}) keeps
 * the answer {@link Answer#UNDECIDED undecided}: the record may yet become visible, so publishing again could make
 * the job twice.
 */
public final class PublishedAcceptances {

    /** How far before the earlier attempt the search starts: records carry their producer's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> adminSettings;
    private final Map<String, Object> consumerSettings;
    private final Duration patience;

    /** What the topic says about a job's acceptance. */
    public enum Answer {
        /** A committed acceptance of the job is on the topic. */
        PUBLISHED,
        /** No committed acceptance, and no transaction that could still add one. */
        ABSENT,
        /** A transaction that may hold the acceptance is still open; ask again later. */
        UNDECIDED
    }

    /**
     * @param kafka connection settings (bootstrap servers, security) for an admin client and a consumer
     * @param patience how long to wait for open transactions below the high watermark to end before answering
     *     {@link Answer#UNDECIDED}
     */
    public PublishedAcceptances(Map<String, Object> kafka, Duration patience) {
        this.adminSettings = Map.copyOf(kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "spool-ingest-acceptance-lookup-" + UUID.randomUUID());
        this.consumerSettings = Map.copyOf(consumer);
        this.patience = patience;
    }

    /** Whether job {@code jobId}'s acceptance was committed by an attempt made at or after {@code since}. */
    public Mono<Answer> find(String jobId, Instant since) {
        return Mono.fromCallable(() -> search(jobId, since)).subscribeOn(Schedulers.boundedElastic());
    }

    private Answer search(String jobId, Instant since) throws InterruptedException, ExecutionException {
        TopicPartition partition;
        long from;
        long highWatermark;
        try (Admin admin = Admin.create(adminSettings)) {
            int partitions = admin.describeTopics(List.of(Topics.JOB_EVENTS.name()))
                    .allTopicNames().get().get(Topics.JOB_EVENTS.name()).partitions().size();
            partition = new TopicPartition(Topics.JOB_EVENTS.name(), partitionOf(jobId, partitions));
            ListOffsetsOptions uncommitted = new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED);
            highWatermark = admin.listOffsets(Map.of(partition, OffsetSpec.latest()), uncommitted)
                    .partitionResult(partition).get().offset();
            ListOffsetsResult.ListOffsetsResultInfo first = admin.listOffsets(
                            Map.of(partition, OffsetSpec.forTimestamp(since.minus(CLOCK_SKEW).toEpochMilli())),
                            uncommitted)
                    .partitionResult(partition).get();
            from = first.offset() < 0 ? highWatermark : first.offset();
        }
        if (from >= highWatermark) {
            return Answer.ABSENT;
        }
        Deserializer<JobEvent> events = Topics.JOB_EVENTS.valueDeserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long deadline = System.nanoTime() + patience.toNanos();
            while (consumer.position(partition) < highWatermark) {
                if (System.nanoTime() > deadline) {
                    return Answer.UNDECIDED;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (jobId.equals(record.key()) && events.deserialize(record.topic(), record.headers(),
                            record.value()) instanceof JobAccepted) {
                        return Answer.PUBLISHED;
                    }
                }
            }
            return Answer.ABSENT;
        }
    }

    /** The partition the producer's default partitioner gives a record keyed {@code jobId}. */
    static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
