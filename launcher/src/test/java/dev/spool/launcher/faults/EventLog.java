package dev.spool.launcher.faults;

import dev.spool.schemas.event.EventType;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything committed on {@code spool.job-events} and {@code spool.job-progress}, read from the beginning by a
 * read-committed consumer with no group (so a broker restart costs it nothing but a reconnect), kept per job in
 * partition order with the wall-clock time each record arrived.
 */
public final class EventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final List<String> TOPICS = List.of(Topics.JOB_EVENTS.name(), Topics.JOB_PROGRESS.name());
    private static final Set<EventType> TERMINAL = Set.of(EventType.COMPLETED, EventType.FAILED, EventType.DEAD_LETTERED);

    /** One event as read, and when it was read. */
    private record Received(JobEvent event, Instant receivedAt) {
    }

    private final String bootstrapServers;
    private final List<TopicPartition> partitions;
    private final KafkaConsumer<String, JobEvent> consumer;
    private final Map<String, List<JobEvent>> facts = new HashMap<>();
    private final Map<String, List<JobEvent>> signals = new HashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> afterLastRecord = new ConcurrentHashMap<>();
    private final List<Received> completions = new ArrayList<>();
    private Instant lastStart = Instant.EPOCH;
    /** When each job's latest attempt was seen starting, for jobs that have not ended. */
    private final Map<String, Instant> running = new HashMap<>();
    private final Thread reader;

    private EventLog(String bootstrapServers, List<TopicPartition> partitions) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = List.copyOf(partitions);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "fault-suite-event-log-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                // The facts and the signals share one format.
                Topics.JOB_EVENTS.keyDeserializer(), Topics.JOB_EVENTS.valueDeserializer());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new Thread(this::read, "fault-suite-event-log");
        reader.setDaemon(true);
    }

    /** Starts reading every partition of both topics; they must exist. */
    public static EventLog start(String bootstrapServers) {
        List<TopicPartition> partitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            partitions = admin.describeTopics(TOPICS).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + TOPICS, e);
        }
        EventLog log = new EventLog(bootstrapServers, partitions);
        log.reader.start();
        return log;
    }

    private void read() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    afterLastRecord.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                    if (record.value() != null) {
                        take(record);
                    }
                }
                consumer.assignment().forEach(partition -> positions.put(partition, consumer.position(partition)));
            }
        } catch (WakeupException closing) {
            LOG.debug("event log closing");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void take(ConsumerRecord<String, JobEvent> record) {
        JobEvent event = record.value();
        boolean fact = record.topic().equals(Topics.JOB_EVENTS.name());
        (fact ? facts : signals).computeIfAbsent(record.key(), id -> new ArrayList<>()).add(event);
        if (event.type() == EventType.COMPLETED) {
            completions.add(new Received(event, Instant.now()));
        } else if (event.type() == EventType.STARTED) {
            lastStart = Instant.now();
            running.put(record.key(), lastStart);
        }
        if (fact && TERMINAL.contains(event.type())) {
            running.remove(record.key());
        }
    }

    /** The job's facts in the order they were committed. */
    public synchronized List<JobEvent> facts(String jobId) {
        return List.copyOf(facts.getOrDefault(jobId, List.of()));
    }

    /** The job's signals in the order they were written. */
    public synchronized List<JobEvent> signals(String jobId) {
        return List.copyOf(signals.getOrDefault(jobId, List.of()));
    }

    /** Every job that has at least one fact. */
    public synchronized Set<String> jobsWithFacts() {
        return Set.copyOf(facts.keySet());
    }

    /** Whether the job has a completed, failed or dead-lettered fact. */
    public boolean isTerminal(String jobId) {
        return facts(jobId).stream().anyMatch(event -> TERMINAL.contains(event.type()));
    }

    public synchronized int completedCount() {
        return completions.size();
    }

    /**
     * Jobs the processor completed after {@code instant} by its own clock (the fact's {@code occurredAt}), in the order
     * their facts arrived. Not by arrival: a killed instance's open transaction holds back read-committed readers of
     * its partitions until the broker aborts it, and the facts committed before it then arrive late.
     */
    public synchronized List<String> completedAfter(Instant instant) {
        return completions.stream().filter(received -> received.event().occurredAt().isAfter(instant))
                .map(received -> received.event().jobId()).toList();
    }

    /** When the processor completed the job (its completed fact's {@code occurredAt}), once that fact was read. */
    public synchronized Optional<Instant> completedAt(String jobId) {
        return facts.getOrDefault(jobId, List.of()).stream().filter(event -> event.type() == EventType.COMPLETED)
                .map(JobEvent::occurredAt).findFirst();
    }

    /**
     * When this log read the job's completed fact: a read-committed reader, as the projection is, cannot have seen it
     * earlier, so a view that lags this instant lags because of the projection.
     */
    public synchronized Optional<Instant> completedReadAt(String jobId) {
        return completions.stream().filter(received -> received.event().jobId().equals(jobId))
                .map(Received::receivedAt).findFirst();
    }

    /** The tier the job was accepted into, once its accepted fact was read. */
    public synchronized Optional<Priority> tier(String jobId) {
        return facts.getOrDefault(jobId, List.of()).stream()
                .filter(JobAccepted.class::isInstance).map(event -> ((JobAccepted) event).priority()).findFirst();
    }

    /** Whether a started signal arrived after {@code instant}: some job is in the middle of an attempt. */
    public synchronized boolean startedAfter(Instant instant) {
        return lastStart.isAfter(instant);
    }

    /** How many jobs started after {@code instant} and have not ended: the attempts in flight since then. */
    public synchronized long runningSince(Instant instant) {
        return running.values().stream().filter(started -> started.isAfter(instant)).count();
    }

    /** Whether this log has read everything committed on both topics so far. */
    public boolean caughtUp() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
            return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .entrySet().stream()
                    .allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue().offset());
        } catch (Exception e) {
            throw new IllegalStateException("cannot list end offsets", e);
        }
    }

    /**
     * Whether consumer group {@code groupId} has committed past every record this log has read. Compared with the
     * records rather than the end offsets: a group commits the offset after its last record, which lies before the
     * marker that ends the record's transaction.
     */
    public boolean consumedBy(String groupId) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> committed.put(partition, offset.offset()));
            return afterLastRecord.entrySet().stream()
                    .allMatch(read -> committed.getOrDefault(read.getKey(), 0L) >= read.getValue());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + groupId, e);
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
