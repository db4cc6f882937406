package dev.spool.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.DriverTopics;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.JobEventDeserializer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.topic.WorkRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delay stage with TopologyTestDriver and its controllable wall clock: each job released at its due time. */
class DelayTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final Duration INTERVAL = Duration.ofMillis(250);

    private TopologyTestDriver driver;
    private TestOutputTopic<String, JobEvent> high;
    private TestOutputTopic<String, JobEvent> normal;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "delay-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(DelayTopology.build(3, INTERVAL, Clock.fixed(T0, ZoneOffset.UTC)), props, T0);
        high = DriverTopics.output(driver, Topics.JOBS_HIGH);
        normal = DriverTopics.output(driver, Topics.JOBS_NORMAL);
        deadLetters = DriverTopics.output(driver, Topics.DLQ);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void eachJobIsReleasedIntoItsOwnTierAtItsDueTimeAndNotBefore() {
        JobAccepted later = job("later", Priority.NORMAL, 2);
        JobAccepted sooner = job("sooner", Priority.HIGH, 3);
        retry(1, later, T0.plusSeconds(10));
        retry(2, sooner, T0.plusSeconds(2));

        driver.advanceWallClockTime(Duration.ofMillis(1900));
        assertThat(high.isEmpty()).isTrue();
        assertThat(normal.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofMillis(350));
        TestRecord<String, JobEvent> released = high.readRecord();
        assertThat(released.key()).isEqualTo("sooner");
        assertThat(released.value()).isEqualTo(sooner);
        assertThat(JobEventDeserializer.header(released.headers(), CloudEventHeaders.TYPE))
                .isEqualTo("dev.spool.job.accepted.v1");
        assertThat(normal.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(8));
        assertThat(normal.readValue()).isEqualTo(later);
        assertThat(high.isEmpty()).isTrue();
        KeyValueStore<String, byte[]> waiting = driver.getKeyValueStore(DelayTopology.WAITING);
        try (var left = waiting.all()) {
            assertThat(left.hasNext()).as("released jobs leave the store").isFalse();
        }
    }

    @Test
    void manyJobsDueAtOnceAreAllReleasedInDueOrder() {
        for (int i = 0; i < 50; i++) {
            retry(1, job("job-" + i, Priority.NORMAL, 2), T0.plusMillis(1000 - i * 10L));
        }

        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertThat(normal.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactlyElementsOf(IntStream.iterate(49, i -> i - 1).limit(50)
                        .mapToObj(i -> "job-" + i).toList());
    }

    @Test
    void aRetryWithoutADueTimeIsReleasedAtOnceAndAnUnreadableOneIsDeadLettered() {
        TestInputTopic<String, byte[]> raw = DriverTopics.rawInput(driver, Topics.retry(1));
        raw.pipeInput(new TestRecord<>("broken", "{".getBytes(StandardCharsets.UTF_8), new RecordHeaders().add(
                CloudEventHeaders.TYPE, "dev.spool.job.accepted.v1".getBytes(StandardCharsets.UTF_8)), T0));
        TestInputTopic<String, JobEvent> input = DriverTopics.input(driver, Topics.retry(1), "/spool/processor-streams");
        input.pipeInput(new TestRecord<>("undated", job("undated", Priority.NORMAL, 2), new RecordHeaders(), T0));

        driver.advanceWallClockTime(INTERVAL);

        assertThat(normal.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("undated");
        TestRecord<String, byte[]> letter = deadLetters.readRecord();
        assertThat(letter.key()).isEqualTo("broken");
        assertThat(JobEventDeserializer.header(letter.headers(), WorkRecordHeaders.ERROR_CODE)).isEqualTo("undecodable");
        assertThat(JobEventDeserializer.header(letter.headers(), WorkRecordHeaders.ORIGINAL_TOPIC))
                .isEqualTo(Topics.retry(1).name());
    }

    @Test
    void storeKeysSortByDueTime() {
        assertThat(DelayStage.storeKey(Instant.ofEpochMilli(9), "b")).isLessThan(DelayStage.storeKey(Instant.ofEpochMilli(10), "a"));
        assertThat(DelayStage.storeKey(T0, "a")).isLessThan(DelayStage.storeKey(T0.plusMillis(1), "a"));
    }

    private void retry(int topicAttempt, JobAccepted job, Instant dueAt) {
        TestInputTopic<String, JobEvent> input = DriverTopics.input(driver, Topics.retry(topicAttempt), "/spool/processor-streams");
        RecordHeaders headers = new RecordHeaders();
        headers.add(WorkRecordHeaders.DUE_AT, dueAt.toString().getBytes(StandardCharsets.UTF_8));
        input.pipeInput(new TestRecord<>(job.jobId(), job, headers, T0));
    }

    private static JobAccepted job(String jobId, Priority tier, int attempt) {
        return new JobAccepted(jobId, "owner-1", "doc.txt", 10, "ab", "text/plain", null, tier, "spool-uploads",
                "up/" + jobId, attempt, T0);
    }
}
