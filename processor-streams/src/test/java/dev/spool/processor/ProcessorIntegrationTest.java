package dev.spool.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.processor.extraction.HostileDocuments;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobRetryScheduled;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The processor on the real broker and S3Proxy, behind a fault-injecting proxy: a storage outage that ends is
 * survived by retries and the job completes once; a job that meets an open breaker waits for it without spending an
 * attempt; an outage that does not end dead-letters the job with its error headers
 * after the configured retries; hostile documents fail with precise codes, unretried, while other tiers go on.
 */
class ProcessorIntegrationTest {

    private static final String APPLICATION_ID = "retry-it-" + UUID.randomUUID();

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    @TempDir
    static Path folder;

    private static FaultInjectingProxy storage;
    private static ConfigurableApplicationContext processor;
    private static UploadedDocuments documents;
    private static S3Client s3;
    private static KafkaProducer<String, JobEvent> work;

    @BeforeAll
    static void start() throws Exception {
        FreshApplications.startAtLogEnd(APPLICATION_ID);
        URI endpoint = URI.create(SharedInfra.get().s3Endpoint());
        storage = FaultInjectingProxy.start(endpoint.getHost(), endpoint.getPort());
        documents = new UploadedDocuments();
        s3 = documents.s3();
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
                        Map.entry("spool.processor.retry.base", "200ms"),
                        Map.entry("spool.processor.retry.cap", "1s"),
                        Map.entry("spool.processor.retry.release-interval", "100ms"),
                        Map.entry("spool.processor.storage-breaker.wait-in-open", "500ms"),
                        Map.entry("spool.processor.storage-read-timeout", "5s"),
                        Map.entry("spool.processor.extraction.timeout", "2s"),
                        Map.entry("spool.processor.extraction.max-pages", "1000000"),
                        Map.entry("spool.processor.close-timeout", "10s")))
                .run();
    }

    @AfterAll
    static void stop() {
        processor.close();
        work.close();
        documents.close();
        storage.close();
    }

    @Test
    void anOutageThatEndsIsRetriedUntilTheJobCompletesOnce() throws Exception {
        JobAccepted job = upload("The otters returned after the storm");
        storage.failAll(503);

        publish(job);
        List<JobEvent> untilRetry = facts(job.jobId(), JobRetryScheduled.class::isInstance);
        storage.passThrough();
        List<JobEvent> all = facts(job.jobId(), JobCompleted.class::isInstance);

        JobRetryScheduled retry = (JobRetryScheduled) untilRetry.get(untilRetry.size() - 1);
        assertThat(retry.error().code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        assertThat(retry.dueAt()).isAfterOrEqualTo(retry.occurredAt());
        assertThat(all).filteredOn(JobCompleted.class::isInstance).hasSize(1);
        JobCompleted completed = (JobCompleted) all.get(all.size() - 1);
        assertThat(completed.attempt()).isGreaterThan(1);
        assertThat(all).filteredOn(JobRetryScheduled.class::isInstance).extracting(JobEvent::attempt)
                .containsExactlyElementsOf(IntStream.range(1, completed.attempt()).boxed().toList());
        assertThat(completed.result().textEncoding()).isEqualTo("gzip");
        assertThat(storedText(completed)).contains("The otters returned after the storm");
    }

    @Test
    void aJobThatMeetsAnOpenBreakerWaitsForItAndCompletesInItsFirstAttempt() throws Exception {
        JobAccepted job = upload("The heron waited for the tide to turn");
        CircuitBreaker breaker = processor.getBean(CircuitBreaker.class);
        Gauge waiting = processor.getBean(MeterRegistry.class).get("spool.processor.storage.waiting").gauge();
        breaker.transitionToForcedOpenState();
        try {
            publish(job);
            awaitStarted(job.jobId());
            await().atMost(DEADLINE).until(() -> waiting.value() >= 1);
        } finally {
            breaker.transitionToClosedState();
        }
        List<JobEvent> all = facts(job.jobId(), fact -> fact instanceof JobCompleted || fact instanceof JobRetryScheduled
                || fact instanceof JobDeadLettered);

        assertThat(all.get(all.size() - 1)).isInstanceOfSatisfying(JobCompleted.class,
                completed -> assertThat(completed.attempt()).isEqualTo(1));
        assertThat(storedText((JobCompleted) all.get(all.size() - 1))).contains("The heron waited for the tide to turn");
    }

    @Test
    void anOutageThatDoesNotEndDeadLettersTheJobAfterThreeRetries() throws Exception {
        JobAccepted job = upload("This job never gets its document");
        storage.failAll(503);
        try {
            publish(job);
            List<JobEvent> all = facts(job.jobId(), JobDeadLettered.class::isInstance);

            assertThat(all).filteredOn(JobRetryScheduled.class::isInstance).extracting(JobEvent::attempt)
                    .containsExactly(1, 2, 3);
            JobDeadLettered dead = (JobDeadLettered) all.get(all.size() - 1);
            assertThat(dead.attempt()).isEqualTo(4);
            assertThat(dead.error().code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
            ConsumerRecord<String, byte[]> letter = deadLetter(job.jobId());
            assertThat(header(letter, WorkRecordHeaders.ERROR_CODE)).isEqualTo("storage_unavailable");
            assertThat(header(letter, WorkRecordHeaders.ATTEMPTS)).isEqualTo("4");
            assertThat(header(letter, WorkRecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.JOBS_NORMAL.name());
            assertThat(header(letter, WorkRecordHeaders.EXCEPTION_CLASS)).isNotBlank();
            assertThat(header(letter, WorkRecordHeaders.STACK_TRACE)).isNotBlank();
            JobAccepted replayable = (JobAccepted) Topics.JOBS_NORMAL.valueDeserializer().deserialize(Topics.DLQ.name(), letter.headers(),
                    letter.value());
            assertThat(replayable.jobId()).isEqualTo(job.jobId());
            assertThat(replayable.attempt()).isEqualTo(4);
            assertThat(replayable.objectKey()).isEqualTo(job.objectKey());
        } finally {
            storage.passThrough();
        }
    }

    @Test
    void hostileDocumentsFailWithPreciseCodesUnretriedWhileAGoodDocumentAlongsideCompletes() throws Exception {
        JobAccepted slow = upload(Files.readAllBytes(HostileDocuments.manyPagesPdf(folder.resolve("pages.pdf"), 20_000)),
                "application/pdf", Priority.NORMAL);
        JobAccepted bomb = upload(Files.readAllBytes(HostileDocuments.zipBombDocx(folder.resolve("bomb.docx"), 1L << 30)),
                DOCX, Priority.LOW);
        JobAccepted laughs = upload(Files.readAllBytes(HostileDocuments.billionLaughs(folder.resolve("lol.xml"))),
                "application/xml", Priority.LOW);
        JobAccepted meanwhile = upload("Written while the normal tier is stuck".getBytes(StandardCharsets.UTF_8),
                "text/plain", Priority.HIGH);

        publish(slow);
        awaitStarted(slow.jobId());
        publish(bomb);
        publish(laughs);
        publish(meanwhile);

        JobCompleted completed = (JobCompleted) last(facts(meanwhile.jobId(), JobCompleted.class::isInstance));
        List<JobEvent> slowFacts = facts(slow.jobId(), JobFailed.class::isInstance);
        List<JobEvent> bombFacts = facts(bomb.jobId(), JobFailed.class::isInstance);
        List<JobEvent> laughsFacts = facts(laughs.jobId(), JobFailed.class::isInstance);

        JobFailed timedOut = (JobFailed) last(slowFacts);
        assertThat(timedOut.error().code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(timedOut.error().retryable()).isFalse();
        assertThat(completed.occurredAt()).as("the high tier finished while the normal tier was stuck")
                .isBefore(timedOut.occurredAt());
        assertThat(((JobFailed) last(bombFacts)).error().code()).isEqualTo(ErrorCode.TOO_LARGE_TO_EXTRACT);
        assertThat(((JobFailed) last(laughsFacts)).error().code()).isEqualTo(ErrorCode.CORRUPT);
        assertThat(slowFacts).noneMatch(JobRetryScheduled.class::isInstance);
        assertThat(bombFacts).noneMatch(JobRetryScheduled.class::isInstance);
        assertThat(laughsFacts).noneMatch(JobRetryScheduled.class::isInstance);
    }

    private static JobEvent last(List<JobEvent> facts) {
        return facts.get(facts.size() - 1);
    }

    private static JobAccepted upload(String text) {
        return upload((text + "\n").getBytes(StandardCharsets.UTF_8), "text/plain", Priority.NORMAL);
    }

    private static JobAccepted upload(byte[] bytes, String contentType, Priority tier) {
        return documents.upload(bytes, contentType, tier);
    }

    private static void publish(JobAccepted job) throws Exception {
        work.send(Topics.jobs(job.priority()).record(job.jobId(), job)).get();
    }

    /** Waits for the job's started signal. */
    private static void awaitStarted(String jobId) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "signals-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, JobEvent> consumer =
                new KafkaConsumer<>(config, Topics.JOB_PROGRESS.keyDeserializer(),
                        Topics.JOB_PROGRESS.valueDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_PROGRESS.name()));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key()) && record.value() instanceof JobStarted) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("job " + jobId + " never started");
    }

    /** The job's facts, read committed, up to the first that {@code last} accepts. */
    private static List<JobEvent> facts(String jobId, Predicate<JobEvent> last) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "facts-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<JobEvent> facts = new ArrayList<>();
        try (KafkaConsumer<String, JobEvent> consumer =
                new KafkaConsumer<>(config, Topics.JOB_EVENTS.keyDeserializer(),
                        Topics.JOB_EVENTS.valueDeserializer())) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS.name()));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, JobEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        facts.add(record.value());
                        if (last.test(record.value())) {
                            return facts;
                        }
                    }
                }
            }
        }
        throw new AssertionError("job " + jobId + " did not reach the expected fact in " + DEADLINE + "; saw " + facts);
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String jobId) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.get().kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, Topics.DLQ.keyDeserializer(), Topics.DLQ.valueDeserializer())) {
            consumer.subscribe(List.of(Topics.DLQ.name()));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (jobId.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for job " + jobId);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return JobEventDeserializer.header(record.headers(), name);
    }

    private static String storedText(JobCompleted completed) throws IOException {
        try (InputStream object = s3.getObject(request -> request.bucket(completed.result().textBucket())
                        .key(completed.result().textKey()));
                InputStream text = new GZIPInputStream(object)) {
            return new String(text.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
