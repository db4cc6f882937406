package dev.spool.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.DriverTopics;
import dev.spool.processor.extraction.DocumentSource;
import dev.spool.processor.extraction.ExtractionLimits;
import dev.spool.processor.extraction.ExtractionSummary;
import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.extraction.PlainTextInProcess;
import dev.spool.processor.extraction.TextStore;
import dev.spool.processor.metrics.JobMetrics;
import dev.spool.processor.retry.RetrySchedule;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobRetryScheduled;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.tika.exception.TikaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A tier's topology with TopologyTestDriver: outcomes to facts, retryable failures to the retry topic of their
 * attempt with a due time, exhausted and unexpected failures and unreadable records to the dead-letter topic.
 */
class WorkTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60));
    /** The jitter draw: half of each ceiling, so due times are exact. */
    private static final double HALF = 0.5;

    @TempDir
    Path work;

    private final Map<String, byte[]> uploads = new HashMap<>();
    private final Map<String, String> storedTexts = new HashMap<>();
    private final List<JobEvent> signals = new ArrayList<>();
    private RuntimeException storageFailure;
    private RuntimeException extractorFailure;

    private JobProcessing processing;
    private TopologyTestDriver driver;
    private TestOutputTopic<String, JobEvent> facts;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        TextStore texts = new TextStore() {
            @Override
            public String bucket() {
                return "spool-text";
            }

            @Override
            public String encoding() {
                return null;
            }

            @Override
            public void put(String key, Path text) throws Exception {
                put(key, Files.readAllBytes(text));
            }

            @Override
            public void put(String key, byte[] utf8) {
                if (storageFailure != null) {
                    throw storageFailure;
                }
                storedTexts.put(key, new String(utf8, StandardCharsets.UTF_8));
            }

            @Override
            public void delete(String key) {
                storedTexts.remove(key);
            }
        };
        DocumentSource documents = new DocumentSource() {
            @Override
            public void download(String bucket, String key, Path target) throws Exception {
                Files.write(target, read(bucket, key, Long.MAX_VALUE));
            }

            @Override
            public byte[] read(String bucket, String key, long maxBytes) {
                byte[] document = uploads.get(key);
                if (document == null) {
                    throw NoSuchKeyException.builder().message("no such key " + key).build();
                }
                return document;
            }

            @Override
            public boolean exists(String bucket, String key) {
                return uploads.containsKey(key);
            }
        };
        // Nothing is extracted in memory here: every document goes through the extractor below, which can be told to fail.
        PlainTextInProcess noneInProcess = new PlainTextInProcess(() -> {
            throw new AssertionError("no document is extracted in process");
        }, new ExtractionLimits(1000, 10, 1000, 10, Duration.ofSeconds(1), "64m"), 0);
        processing = new JobProcessing(documents, noneInProcess, this::extract, texts, signals::add, work,
                new SteppingClock(T0, Duration.ofMillis(10)));
        // Attempts run on the calling thread, so each outcome is written while its record is processed.
        start(Runnable::run);
    }

    private void start(Executor jobs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "work-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(WorkTopology.build(Priority.NORMAL, processing, jobs,
                new InFlightLimits(8, Duration.ofMillis(5)), SCHEDULE, () -> HALF,
                new SteppingClock(T0, Duration.ofMillis(10)), new JobMetrics(new SimpleMeterRegistry())), props);
        facts = DriverTopics.output(driver, Topics.JOB_EVENTS);
        deadLetters = DriverTopics.output(driver, Topics.DLQ);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aCompletedAttemptWritesItsFactWithCloudEventHeaders() {
        uploads.put("up/job-1", "two words\nand three more".getBytes(StandardCharsets.UTF_8));

        accept(job("job-1", 1));

        TestRecord<String, JobEvent> record = facts.readRecord();
        JobCompleted completed = (JobCompleted) record.value();
        assertThat(record.key()).isEqualTo("job-1");
        assertThat(completed.attempt()).isEqualTo(1);
        assertThat(completed.result().words()).isEqualTo(5);
        assertThat(completed.result().textKey()).isEqualTo("text/job-1.txt.gz");
        assertThat(header(record.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.spool.job.completed.v1");
        assertThat(header(record.headers(), CloudEventHeaders.SOURCE)).isEqualTo("/spool/processor-streams");
        assertThat(storedTexts).containsExactly(Map.entry("text/job-1.txt.gz", "two words\nand three more"));
        assertThat(signals).extracting(JobEvent::type).extracting(Enum::name)
                .containsExactly("STARTED", "PROGRESS", "PROGRESS", "PROGRESS", "PROGRESS");
        assertThat(signals.subList(1, 5)).extracting(signal -> ((JobProgress) signal).stage())
                .containsExactly(Stage.DOWNLOADING, Stage.DETECTING, Stage.EXTRACTING, Stage.STORING);
        assertThat(signals.get(0)).isInstanceOf(JobStarted.class);
        assertThat(facts.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aJobStaysInTheInFlightStoreUntilTheStreamThreadWritesItsOutcome() {
        driver.close();
        Queue<Runnable> pool = new ArrayDeque<>();
        start(pool::add);
        uploads.put("up/job-9", "held in flight".getBytes(StandardCharsets.UTF_8));
        KeyValueStore<String, PendingJob> inFlight = driver.getKeyValueStore(WorkTopology.IN_FLIGHT);

        accept(job("job-9", 1));
        assertThat(inFlight.get("job-9").topic()).isEqualTo(Topics.JOBS_NORMAL.name());
        assertThat(pool).hasSize(1);
        pool.remove().run();
        assertThat(facts.isEmpty()).as("finished, but not yet written").isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(5));
        assertThat(facts.readValue()).isInstanceOf(JobCompleted.class);
        assertThat(inFlight.get("job-9")).isNull();
    }

    @Test
    void aFullTaskKeepsWhatItReadsWaitingInTheStoreAndStartsItInOrderAsJobsFinishWithoutBlocking() {
        driver.close();
        Queue<Runnable> pool = new ArrayDeque<>();
        start(pool::add);
        KeyValueStore<String, PendingJob> inFlight = driver.getKeyValueStore(WorkTopology.IN_FLIGHT);
        for (int i = 1; i <= 10; i++) {
            uploads.put("up/job-" + i, ("document " + i).getBytes(StandardCharsets.UTF_8));
            accept(job("job-" + i, 1));
        }
        // a second record of a job in flight (a replay racing its first attempt) waits for the first to finish
        accept(job("job-1", 1));

        assertThat(pool).as("the window of eight").hasSize(8);
        assertThat(keys(inFlight)).as("every record read is durable").hasSize(11).contains("job-1", "job-9", "job-10");

        pool.remove().run();
        driver.advanceWallClockTime(Duration.ofMillis(5));
        assertThat(facts.readValue().jobId()).isEqualTo("job-1");
        assertThat(pool).as("job-9 started in job-1's place, not the second job-1 behind it").hasSize(8);
        pool.forEach(Runnable::run);
        pool.clear();
        driver.advanceWallClockTime(Duration.ofMillis(5));
        assertThat(pool).as("job-10 and the second job-1").hasSize(2);
        pool.forEach(Runnable::run);
        driver.advanceWallClockTime(Duration.ofMillis(5));

        assertThat(facts.readValuesToList()).extracting(JobEvent::jobId).containsExactlyInAnyOrder("job-2", "job-3",
                "job-4", "job-5", "job-6", "job-7", "job-8", "job-9", "job-10", "job-1");
        assertThat(keys(inFlight)).isEmpty();
    }

    private static List<String> keys(KeyValueStore<String, PendingJob> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, PendingJob> entries = store.all()) {
            entries.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }

    @Test
    void aDocumentFaultFailsTheJobWithoutRetry() {
        uploads.put("up/job-2", "bytes".getBytes(StandardCharsets.UTF_8));
        extractorFailure = new IllegalStateException("unused");

        accept(job("job-2", 1));

        JobFailed failed = (JobFailed) facts.readValue();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.CORRUPT);
        assertThat(failed.error().retryable()).isFalse();
        assertThat(retryTopic(1).isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aStorageFailureSchedulesTheNextAttemptOnTheRetryTopicOfThisAttempt() {
        uploads.put("up/job-3", "fine text".getBytes(StandardCharsets.UTF_8));
        storageFailure = SdkClientException.create("connection refused");

        accept(job("job-3", 2));

        JobRetryScheduled scheduled = (JobRetryScheduled) facts.readValue();
        assertThat(scheduled.attempt()).isEqualTo(2);
        assertThat(scheduled.error().code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        // ceiling after attempt 2 is 2 s; half of it with the test's jitter draw
        assertThat(scheduled.dueAt()).isEqualTo(scheduled.occurredAt().plusSeconds(1));
        TestRecord<String, JobEvent> retry = retryTopic(2).readRecord();
        assertThat(retry.key()).isEqualTo("job-3");
        assertThat(((JobAccepted) retry.value()).attempt()).isEqualTo(3);
        assertThat(((JobAccepted) retry.value()).priority()).isEqualTo(Priority.NORMAL);
        assertThat(header(retry.headers(), WorkRecordHeaders.DUE_AT)).isEqualTo(scheduled.dueAt().toString());
        assertThat(facts.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void theLastAttemptsStorageFailureIsDeadLetteredWithItsErrorHeaders() {
        uploads.put("up/job-4", "fine text".getBytes(StandardCharsets.UTF_8));
        storageFailure = SdkClientException.create("connection refused");
        JobAccepted last = job("job-4", 4);

        TestInputTopic<String, JobEvent> input = DriverTopics.input(driver, Topics.JOBS_NORMAL, "/spool/processor-streams");
        input.pipeInput("job-4", last, T0.minusSeconds(5));

        JobDeadLettered fact = (JobDeadLettered) facts.readValue();
        assertThat(fact.attempt()).isEqualTo(4);
        assertThat(fact.error().code()).isEqualTo(ErrorCode.STORAGE_UNAVAILABLE);
        TestRecord<String, byte[]> letter = deadLetters.readRecord();
        assertThat(letter.key()).isEqualTo("job-4");
        Headers headers = letter.headers();
        assertThat(header(headers, WorkRecordHeaders.ERROR_CODE)).isEqualTo("storage_unavailable");
        assertThat(header(headers, WorkRecordHeaders.EXCEPTION_CLASS)).isEqualTo(SdkClientException.class.getName());
        assertThat(header(headers, WorkRecordHeaders.EXCEPTION_MESSAGE)).isEqualTo("connection refused");
        assertThat(header(headers, WorkRecordHeaders.STACK_TRACE)).startsWith(SdkClientException.class.getName())
                .hasSizeLessThanOrEqualTo(WorkRecordHeaders.STACK_TRACE_LIMIT);
        assertThat(header(headers, WorkRecordHeaders.ATTEMPTS)).isEqualTo("4");
        assertThat(header(headers, WorkRecordHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.JOBS_NORMAL.name());
        assertThat(header(headers, WorkRecordHeaders.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(headers, WorkRecordHeaders.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(headers, WorkRecordHeaders.ORIGINAL_TIMESTAMP)).isEqualTo(T0.minusSeconds(5).toString());
        assertThat(header(headers, WorkRecordHeaders.FAILED_AT)).isNotBlank();
        assertThat(header(headers, CloudEventHeaders.TYPE)).as("the work record's own headers are kept")
                .isEqualTo("dev.spool.job.accepted.v1");
        // Read as spring-kafka's dead-letter tooling reads its own: its header names, binary numbers.
        assertThat(header(headers, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo(Topics.JOBS_NORMAL.name());
        assertThat(ByteBuffer.wrap(headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt())
                .isZero();
        assertThat(ByteBuffer.wrap(headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_OFFSET).value()).getLong()).isZero();
        assertThat(ByteBuffer.wrap(headers.lastHeader(KafkaHeaders.DLT_ORIGINAL_TIMESTAMP).value()).getLong())
                .isEqualTo(T0.minusSeconds(5).toEpochMilli());
        assertThat(header(headers, KafkaHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE)).isEqualTo("CreateTime");
        assertThat(header(headers, KafkaHeaders.DLT_EXCEPTION_FQCN)).isEqualTo(SdkClientException.class.getName());
        assertThat(header(headers, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).isEqualTo("connection refused");
        assertThat(header(headers, KafkaHeaders.DLT_EXCEPTION_STACKTRACE)).startsWith(SdkClientException.class.getName());
        JobEvent replayable = new JobEventDeserializer().deserialize(Topics.DLQ.name(), headers, letter.value());
        assertThat(replayable).isEqualTo(last);
        assertThat(retryTopic(3).isEmpty()).isTrue();
    }

    @Test
    void anUnexpectedFailureIsDeadLetteredAtOnce() {
        uploads.put("up/job-5", "fine text".getBytes(StandardCharsets.UTF_8));
        extractorFailure = new NullPointerException("a bug");

        TestInputTopic<String, JobEvent> input = DriverTopics.input(driver, Topics.JOBS_NORMAL, "/spool/ingest");
        input.pipeInput(new TestRecord<>("job-5", job("job-5", 1), new RecordHeaders().add(WorkRecordHeaders.DOCUMENT,
                "fine text".getBytes(StandardCharsets.UTF_8)), T0));

        JobDeadLettered fact = (JobDeadLettered) facts.readValue();
        assertThat(fact.error().code()).isEqualTo(ErrorCode.INTERNAL);
        TestRecord<String, byte[]> letter = deadLetters.readRecord();
        assertThat(header(letter.headers(), WorkRecordHeaders.ERROR_CODE)).isEqualTo("internal");
        assertThat(header(letter.headers(), WorkRecordHeaders.EXCEPTION_CLASS)).isEqualTo("java.lang.NullPointerException");
        assertThat(letter.headers().lastHeader(WorkRecordHeaders.DOCUMENT)).as("the stored object is the document")
                .isNull();
        assertThat(retryTopic(1).isEmpty()).isTrue();
    }

    @Test
    void anUnreadableWorkRecordIsDeadLetteredAndTheNextJobStillRuns() {
        uploads.put("up/job-6", "fine text".getBytes(StandardCharsets.UTF_8));
        TestInputTopic<String, byte[]> raw = DriverTopics.rawInput(driver, Topics.JOBS_NORMAL);
        Headers headers = new RecordHeaders().add(CloudEventHeaders.TYPE,
                "dev.spool.job.accepted.v1".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(new TestRecord<>("broken", "{\"jobId\":".getBytes(StandardCharsets.UTF_8), headers, T0));
        raw.pipeInput(new TestRecord<>("future", "{}".getBytes(StandardCharsets.UTF_8), new RecordHeaders()
                .add(CloudEventHeaders.TYPE, "dev.spool.job.teleported.v1".getBytes(StandardCharsets.UTF_8)), T0));

        accept(job("job-6", 1));

        TestRecord<String, byte[]> letter = deadLetters.readRecord();
        assertThat(letter.key()).isEqualTo("broken");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"jobId\":");
        assertThat(header(letter.headers(), WorkRecordHeaders.ERROR_CODE)).isEqualTo("undecodable");
        assertThat(header(letter.headers(), WorkRecordHeaders.ATTEMPTS)).isEqualTo("0");
        assertThat(deadLetters.isEmpty()).as("an unknown event type is skipped, not dead-lettered").isTrue();
        assertThat(facts.readValue()).isInstanceOf(JobCompleted.class);
    }

    @Test
    void aMissingUploadFailsAsObjectMissing() {
        accept(job("job-7", 1));

        JobFailed failed = (JobFailed) facts.readValue();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.OBJECT_MISSING);
    }

    private TestOutputTopic<String, JobEvent> retryTopic(int attempt) {
        return DriverTopics.output(driver, Topics.retry(attempt));
    }

    private void accept(JobAccepted job) {
        TestInputTopic<String, JobEvent> input = DriverTopics.input(driver, Topics.jobs(job.priority()), "/spool/ingest");
        input.pipeInput(job.jobId(), job, T0);
    }

    private ExtractionSummary extract(Path document, String declaredType, Path textOut, Consumer<String> detected)
            throws Exception {
        detected.accept("text/plain");
        if (extractorFailure instanceof IllegalStateException) {
            throw new TikaException("bad xref table");
        }
        if (extractorFailure != null) {
            throw extractorFailure;
        }
        String text = Files.readString(document);
        Files.writeString(textOut, text);
        return new ExtractionSummary("text/plain", 1, text.length(), text.split("\\s+").length, null, null, null, null,
                null, Map.of(), null);
    }

    private static JobAccepted job(String jobId, int attempt) {
        return new JobAccepted(jobId, "owner-1", "doc.txt", 10, "ab", "text/plain", null, Priority.NORMAL,
                "spool-uploads", "up/" + jobId, attempt, T0);
    }

    private static String header(Headers headers, String key) {
        return JobEventDeserializer.header(headers, key);
    }
}
