package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The in-flight window on the real broker and S3Proxy: a task runs many jobs at once but never more than its bound,
 * keeps each one in its committed changelog while it runs or waits, holds back its own partition when full without
 * blocking its stream thread, and a slow job does not hold back the jobs behind it in the same partition.
 */
class InFlightIntegrationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int PER_TASK = 8;
    private static final String APPLICATION_ID = "in-flight-it-" + UUID.randomUUID();

    @TempDir
    static Path folder;

    private static FaultInjectingProxy storage;
    private static ConfigurableApplicationContext processor;
    private static UploadedDocuments documents;
    private static KafkaProducer<String, JobEvent> work;

    @BeforeAll
    static void start() throws Exception {
        FreshApplications.startAtLogEnd(APPLICATION_ID);
        URI endpoint = URI.create(SharedInfra.get().s3Endpoint());
        storage = FaultInjectingProxy.start(endpoint.getHost(), endpoint.getPort());
        documents = new UploadedDocuments();
        work = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), // The tier topics share one format.
                Topics.JOBS_NORMAL.keySerializer(), Topics.JOBS_NORMAL.valueSerializer("/test/ingest"));
        processor = new SpringApplicationBuilder(ProcessorApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.ofEntries(
                        Map.entry("spring.kafka.bootstrap-servers", SharedInfra.get().kafkaBootstrapServers()),
                        Map.entry("spool.storage.endpoint", storage.endpoint()),
                        Map.entry("spool.storage.region", SharedInfra.get().s3Region()),
                        Map.entry("spool.storage.access-key", SharedInfra.get().s3AccessKey()),
                        Map.entry("spool.storage.secret-key", SharedInfra.get().s3SecretKey()),
                        Map.entry("spool.processor.application-id", APPLICATION_ID),
                        Map.entry("spool.processor.state-dir", folder.resolve("state").toString()),
                        Map.entry("spool.processor.work-dir", folder.resolve("work").toString()),
                        Map.entry("spool.processor.in-flight.per-task", Integer.toString(PER_TASK)),
                        Map.entry("spool.processor.capacity.low.jobs", "16"),
                        Map.entry("spool.processor.storage-read-timeout", "20s"),
                        Map.entry("spool.processor.analytics.enabled", "false"),
                        Map.entry("spool.processor.close-timeout", "10s")))
                .run();
    }

    @AfterEach
    void heal() {
        storage.passThrough();
    }

    @AfterAll
    static void stop() {
        processor.close();
        work.close();
        documents.close();
        storage.close();
    }

    @Test
    void aFullTaskHoldsBackItsPartitionWithoutBlockingItsThreadAndCommitsNoOffsetWhoseJobIsNotDurable()
            throws Exception {
        List<JobAccepted> window = uploads(PER_TASK, Priority.LOW);
        List<JobAccepted> behind = uploads(5 * PER_TASK, Priority.LOW);
        List<JobAccepted> elsewhere = uploads(5, Priority.LOW);
        Set<String> windowIds = ids(window);
        Set<String> all = new HashSet<>(windowIds);
        all.addAll(ids(behind));
        all.addAll(ids(elsewhere));
        // The window's documents are held at the storage until the test lets them go; the others pass.
        List<FaultInjectingProxy.Hold> documents = window.stream().map(job -> storage.hold(job.objectKey())).toList();
        try {
            long first = send(window.get(0), 0);
            window.subList(1, PER_TASK).forEach(job -> send(job, 0));
            assertThat(startedJobs(JobRecords.readUntil(Topics.JOB_PROGRESS, false, windowIds::contains,
                    read -> startedJobs(read).size() == PER_TASK, DEADLINE))).isEqualTo(windowIds);

            behind.forEach(job -> send(job, 0));
            // The full task takes what it had buffered into the in-flight store, where each job is durable before its
            // offset is committed, and then holds back its partition: the committed offset settles, short of the end.
            long settled = settledCommittedOffset(Priority.LOW, 0, first + PER_TASK + 1);
            long waiting = settled - first - PER_TASK;
            assertThat(waiting).as("jobs read while the task was full").isBetween(1L, 3L * PER_TASK);
            Set<String> durable = new HashSet<>(windowIds);
            durable.addAll(ids(behind.subList(0, (int) waiting)));
            assertThat(committedInFlight(durable)).as("the committed changelog holds every job whose offset is")
                    .isEqualTo(durable);
            assertThat(startedJobs(JobRecords.readFor(Topics.JOB_PROGRESS, false, all::contains, Duration.ofSeconds(1))))
                    .as("none started beyond the window").isEqualTo(windowIds);

            // The thread is not blocked: another partition of the same application and thread goes on.
            elsewhere.forEach(job -> send(job, 1));
            Set<String> elsewhereIds = ids(elsewhere);
            JobRecords.readUntil(Topics.JOB_EVENTS, true, elsewhereIds::contains,
                    read -> JobRecords.count(read, JobCompleted.class) >= elsewhere.size(), DEADLINE);
        } finally {
            documents.forEach(FaultInjectingProxy.Hold::release);
        }

        List<JobEvent> facts = JobRecords.readUntil(Topics.JOB_EVENTS, true, all::contains,
                read -> JobRecords.count(read, JobCompleted.class) >= all.size(), DEADLINE);
        assertThat(facts).filteredOn(JobCompleted.class::isInstance).extracting(JobEvent::jobId)
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        await().atMost(DEADLINE).until(() -> committedInFlight(all).isEmpty());
    }

    @Test
    void aSlowJobDoesNotHoldBackTheJobsBehindItInItsPartition() throws Exception {
        JobAccepted slow = documents.upload("Read from a storage that keeps it waiting\n".getBytes(StandardCharsets.UTF_8),
                "text/plain", Priority.NORMAL);
        List<JobAccepted> quick = uploads(100, Priority.NORMAL);
        // The slow job waits on its document until the test lets it go, so "still running" never depends on how fast
        // this machine ran the others: a slow parse raced them, and on a loaded machine it sometimes won.
        try (FaultInjectingProxy.Hold document = storage.hold(slow.objectKey())) {
            send(slow, 1);
            JobRecords.readUntil(Topics.JOB_PROGRESS, false, slow.jobId()::equals,
                    read -> JobRecords.count(read, JobStarted.class) >= 1, DEADLINE);

            quick.forEach(job -> send(job, 1));
            Set<String> quickIds = ids(quick);
            JobRecords.readUntil(Topics.JOB_EVENTS, true, quickIds::contains,
                    read -> JobRecords.count(read, JobCompleted.class) >= quick.size(), DEADLINE);

            assertThat(JobRecords.readFor(Topics.JOB_EVENTS, true, slow.jobId()::equals, Duration.ofSeconds(1)))
                    .as("the slow job, still running").isEmpty();
        }
        List<JobEvent> slowFacts = JobRecords.readUntil(Topics.JOB_EVENTS, true, slow.jobId()::equals,
                read -> JobRecords.count(read, JobCompleted.class) + JobRecords.count(read, JobFailed.class) >= 1,
                DEADLINE);
        assertThat(slowFacts).as("its document arrived, late").singleElement().isInstanceOf(JobCompleted.class);
    }

    private static List<JobAccepted> uploads(int count, Priority tier) {
        List<JobAccepted> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(documents.upload(("In-flight document " + i + "\n").getBytes(StandardCharsets.UTF_8), "text/plain",
                    tier));
        }
        return jobs;
    }

    private static Set<String> ids(List<JobAccepted> jobs) {
        return jobs.stream().map(JobAccepted::jobId).collect(Collectors.toSet());
    }

    /** Sends {@code job} to {@code partition} of its tier topic and returns its offset. */
    private static long send(JobAccepted job, int partition) {
        try {
            return work.send(new ProducerRecord<>(Topics.jobs(job.priority()).name(), partition, job.jobId(), job)).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish job " + job.jobId(), e);
        }
    }

    private static Set<String> startedJobs(List<JobEvent> signals) {
        return signals.stream().filter(JobStarted.class::isInstance).map(JobEvent::jobId).collect(Collectors.toSet());
    }

    /** The offset the tier application committed on {@code partition} of its topic, or -1 if none yet. */
    private static long committedOffset(Priority tier, int partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfra.get().kafkaBootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APPLICATION_ID + "-" + tier.wireName())
                    .partitionsToOffsetAndMetadata().get().get(new TopicPartition(Topics.jobs(tier).name(), partition));
            return committed == null ? -1 : committed.offset();
        }
    }

    /** The committed offset once it is at least {@code atLeast} and has not moved for two seconds. */
    private static long settledCommittedOffset(Priority tier, int partition, long atLeast) throws Exception {
        long[] last = {-1, System.nanoTime()};
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> {
            long now = committedOffset(tier, partition);
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return now >= atLeast && System.nanoTime() - last[1] >= Duration.ofSeconds(2).toNanos();
        });
        return last[0];
    }

    /** The job ids among {@code jobIds} that the low tier's in-flight changelog holds, read committed. */
    private static Set<String> committedInFlight(Set<String> jobIds) {
        String changelog = APPLICATION_ID + "-" + Priority.LOW.wireName() + "-in-flight-changelog";
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "changelog-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, byte[]> latest = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(changelog));
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < end && !latest.keySet().containsAll(jobIds)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        return latest.entrySet().stream()
                .filter(entry -> entry.getValue() != null && jobIds.contains(entry.getKey()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }
}
