package dev.spool.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.extraction.ExtractedText;
import dev.spool.processor.extraction.JobProcessing;
import dev.spool.processor.extraction.TextStore;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.envelope.JobEventSerializer;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.Priority;
import dev.spool.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.tika.exception.TikaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class JobTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final String CORRUPT_MARK = "%CORRUPT";

    private final Map<String, byte[]> uploads = new HashMap<>();
    private final Map<String, String> storedTexts = new HashMap<>();
    private final List<JobEvent> signals = new ArrayList<>();
    private boolean storageDown;

    private TopologyTestDriver driver;
    private TestOutputTopic<String, JobEvent> facts;

    @BeforeEach
    void setUp() {
        TextStore texts = new TextStore() {
            @Override
            public String bucket() {
                return "spool-text";
            }

            @Override
            public void put(String key, String text) {
                if (storageDown) {
                    throw SdkClientException.create("connection refused");
                }
                storedTexts.put(key, text);
            }
        };
        JobProcessing processing = new JobProcessing(
                this::download,
                JobTopologyTest::extract,
                texts,
                signals::add,
                new SteppingClock(T0, Duration.ofMillis(10)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(JobTopology.build(processing), props);
        facts = driver.createOutputTopic(Topics.JOB_EVENTS, new StringDeserializer(), new JobEventDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void completesJobWithSummaryAndCloudEventHeaders() {
        uploads.put("spool-uploads/up/job-1", "two words\nand three more".getBytes(StandardCharsets.UTF_8));

        accept(Priority.NORMAL, job("job-1"));

        TestRecord<String, JobEvent> record = facts.readRecord();
        assertThat(record.key()).isEqualTo("job-1");
        assertThat(record.value()).isEqualTo(new JobCompleted("job-1", 1, T0, 40,
                new ExtractionResult("text/plain", 1, 24, 5, null, "A title", "An author", "spool-text",
                        "text/job-1.txt"),
                T0.plusMillis(40)));
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("dev.spool.job.completed.v1");
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("/spool/processor-streams");
        assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo("job-1");
        assertThat(header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
        assertThat(storedTexts).containsExactly(Map.entry("text/job-1.txt", "two words\nand three more"));
        assertThat(facts.isEmpty()).isTrue();
    }

    @Test
    void corruptDocumentFailsPermanently() {
        uploads.put("spool-uploads/up/job-2", (CORRUPT_MARK + " bytes").getBytes(StandardCharsets.UTF_8));

        accept(Priority.HIGH, job("job-2"));

        TestRecord<String, JobEvent> record = facts.readRecord();
        JobFailed failed = (JobFailed) record.value();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.CORRUPT);
        assertThat(failed.error().retryable()).isFalse();
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("dev.spool.job.failed.v1");
        assertThat(storedTexts).isEmpty();
    }

    @Test
    void storageFailureFailsRetryably() {
        uploads.put("spool-uploads/up/job-3", "fine text".getBytes(StandardCharsets.UTF_8));
        storageDown = true;

        accept(Priority.LOW, job("job-3"));

        JobFailed failed = (JobFailed) facts.readValue();
        assertThat(failed.jobId()).isEqualTo("job-3");
        assertThat(failed.error()).isEqualTo(
                new JobError(ErrorCode.STORAGE_UNAVAILABLE, "SdkClientException: connection refused", true));
        assertThat(facts.isEmpty()).isTrue();
    }

    @Test
    void missingUploadFailsAsObjectMissing() {
        accept(Priority.NORMAL, job("job-4"));

        JobFailed failed = (JobFailed) facts.readValue();
        assertThat(failed.error().code()).isEqualTo(ErrorCode.OBJECT_MISSING);
        assertThat(failed.error().retryable()).isFalse();
        assertThat(signals).hasSize(2);
    }

    @Test
    void progressSignalsReachTheSinkInOrder() {
        uploads.put("spool-uploads/up/job-5", "text".getBytes(StandardCharsets.UTF_8));

        accept(Priority.NORMAL, job("job-5"));

        assertThat(signals).containsExactly(
                new JobStarted("job-5", 1, T0),
                new JobProgress("job-5", 1, Stage.DOWNLOADING, 10, T0.plusMillis(10)),
                new JobProgress("job-5", 1, Stage.EXTRACTING, 40, T0.plusMillis(20)),
                new JobProgress("job-5", 1, Stage.STORING, 80, T0.plusMillis(30)));
    }

    private void accept(Priority tier, JobAccepted job) {
        TestInputTopic<String, JobEvent> input = driver.createInputTopic(tier.topic(), new StringSerializer(),
                new JobEventSerializer("/spool/ingest"));
        input.pipeInput(job.jobId(), job, T0);
    }

    private byte[] download(String bucket, String key) {
        byte[] document = uploads.get(bucket + "/" + key);
        if (document == null) {
            throw NoSuchKeyException.builder().message("no such key " + key).build();
        }
        return document;
    }

    private static JobAccepted job(String jobId) {
        return new JobAccepted(jobId, "owner-1", "doc.txt", 10, "ab", "text/plain", null, Priority.NORMAL,
                "spool-uploads", "up/" + jobId, 1, T0);
    }

    private static ExtractedText extract(byte[] document) throws TikaException {
        String text = new String(document, StandardCharsets.UTF_8);
        if (text.startsWith(CORRUPT_MARK)) {
            throw new TikaException("bad xref table");
        }
        return new ExtractedText(text, "text/plain", 1, "A title", "An author");
    }

    private static String header(TestRecord<String, JobEvent> record, String key) {
        return JobEventDeserializer.header(record.headers(), key);
    }

    /** A clock that moves forward a fixed step on every reading, so durations are exact. */
    private static final class SteppingClock extends Clock {

        private final Duration step;
        private Instant next;

        SteppingClock(Instant start, Duration step) {
            this.next = start;
            this.step = step;
        }

        @Override
        public Instant instant() {
            Instant now = next;
            next = next.plus(step);
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
