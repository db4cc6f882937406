package dev.spool.processor.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.processor.DriverTopics;
import dev.spool.schemas.analytics.JobStats;
import dev.spool.schemas.envelope.CloudEventHeaders;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.ErrorCode;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobDeleted;
import dev.spool.schemas.event.JobCompleted;
import dev.spool.schemas.event.JobDeadLettered;
import dev.spool.schemas.event.JobError;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobFailed;
import dev.spool.schemas.event.JobStarted;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The analytics topology with TopologyTestDriver: outcomes joined with acceptances, counted per closed window. */
class JobStatsTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, JobEvent> facts;
    private TestOutputTopic<String, byte[]> stats;

    @BeforeEach
    void setUp() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "job-stats-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(JobStatsTopology.build(Duration.ofMinutes(1), Duration.ofSeconds(30)), props, T0);
        facts = DriverTopics.input(driver, Topics.JOB_EVENTS, "/test");
        stats = DriverTopics.rawOutput(driver, Topics.ANALYTICS_JOB_STATS);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void outcomesAreCountedByOutcomeTypeAndTierInTheWindowTheyEndedIn() {
        accept("a", "application/pdf", Priority.HIGH, 1000, T0);
        accept("b", "text/plain", Priority.NORMAL, 200, T0);
        accept("c", "application/pdf", Priority.NORMAL, 3000, T0);
        accept("d", "image/png", Priority.LOW, 50, T0);
        accept("e", "text/plain", Priority.NORMAL, 10, T0);
        send("a", new JobStarted("a", 1, T0.plusSeconds(1)), T0.plusSeconds(1));
        send("a", completed("a", 120, T0.plusSeconds(2)), T0.plusSeconds(2));
        send("b", completed("b", 800, T0.plusSeconds(10)), T0.plusSeconds(10));
        send("c", new JobFailed("c", 1, new JobError(ErrorCode.CORRUPT, "broken", false), T0.plusSeconds(20)),
                T0.plusSeconds(20));
        send("d", new JobDeadLettered("d", 4, new JobError(ErrorCode.STORAGE_UNAVAILABLE, "s3", true),
                T0.plusSeconds(70)), T0.plusSeconds(70));
        assertThat(stats.isEmpty()).as("no window is published before it closes").isTrue();

        // Windows close on the time of outcomes: the next one past the end plus the grace closes the first.
        send("e", completed("e", 5, T0.plusSeconds(95)), T0.plusSeconds(95));

        TestRecord<String, byte[]> first = stats.readRecord();
        JobStats window = EventJson.mapper().readValue(first.value(), JobStats.class);
        assertThat(first.key()).isEqualTo("2026-11-23T09:00:00Z");
        assertThat(first.headers().lastHeader(CloudEventHeaders.DATA_SCHEMA).value())
                .isEqualTo(JobStats.DATA_SCHEMA.getBytes(StandardCharsets.UTF_8));
        assertThat(window.windowStart()).isEqualTo(T0);
        assertThat(window.windowEnd()).isEqualTo(T0.plusSeconds(60));
        assertThat(window.jobs()).isEqualTo(3);
        assertThat(window.byOutcome()).isEqualTo(Map.of("completed", 2L, "failed", 1L));
        assertThat(window.byContentType()).isEqualTo(Map.of("application/pdf", 2L, "text/plain", 1L));
        assertThat(window.byTier()).isEqualTo(Map.of("high", 1L, "normal", 2L));
        assertThat(window.bytes()).isEqualTo(4200);
        assertThat(window.processingMillis().count()).isEqualTo(2);
        assertThat(window.processingMillis().max()).isEqualTo(800);
        assertThat(window.processingMillis().p50()).isBetween(120L, 143L);
        assertThat(window.processingMillis().p95()).isEqualTo(800);
        assertThat(stats.isEmpty()).as("the next window is still open").isTrue();
    }

    @Test
    void aLateFactWithinTheGraceCountsAndOneAfterItDoesNot() {
        for (String job : List.of("a", "b", "c", "y", "z")) {
            accept(job, "text/plain", Priority.NORMAL, 1, T0);
        }
        send("x", completed("x", 5, T0.plusSeconds(5)), T0.plusSeconds(5));
        send("a", completed("a", 5, T0.plusSeconds(80)), T0.plusSeconds(80));
        send("b", completed("b", 5, T0.plusSeconds(30)), T0.plusSeconds(30));
        send("z", completed("z", 5, T0.plusSeconds(91)), T0.plusSeconds(91));
        send("c", completed("c", 5, T0.plusSeconds(40)), T0.plusSeconds(40));
        send("y", completed("y", 5, T0.plusSeconds(200)), T0.plusSeconds(200));

        List<JobStats> windows = stats.readValuesToList().stream()
                .map(value -> EventJson.mapper().readValue(value, JobStats.class)).toList();

        assertThat(windows).extracting(JobStats::windowStart).containsExactly(T0, T0.plusSeconds(60));
        assertThat(windows.get(0).jobs()).as("b, late but within the grace; not x (never accepted), not c (too late)")
                .isEqualTo(1);
        assertThat(windows.get(1).jobs()).as("a and z").isEqualTo(2);
    }

    @Test
    void aJobDeletedBeforeItEndsIsNotCountedAndLeavesNoEntry() {
        accept("kept", "text/plain", Priority.NORMAL, 1, T0);
        accept("gone", "text/plain", Priority.NORMAL, 1, T0);
        send("gone", new JobDeleted("gone", 1, "owner", T0.plusSeconds(2)), T0.plusSeconds(2));
        send("gone", completed("gone", 5, T0.plusSeconds(5)), T0.plusSeconds(5));
        send("kept", completed("kept", 5, T0.plusSeconds(6)), T0.plusSeconds(6));
        send("kept", completed("kept", 5, T0.plusSeconds(200)), T0.plusSeconds(200));

        JobStats first = EventJson.mapper().readValue(stats.readValue(), JobStats.class);

        assertThat(first.jobs()).as("only the job that was not deleted").isEqualTo(1);
        KeyValueStore<String, ValueAndTimestamp<Object>> table = driver.getTimestampedKeyValueStore(
                JobStatsTopology.ACCEPTED_STORE);
        assertThat(table.get("gone")).isNull();
        assertThat(table.get("kept")).isNotNull();
    }

    private void accept(String jobId, String type, Priority tier, long size, Instant at) {
        send(jobId, new JobAccepted(jobId, "owner", jobId + ".bin", size, "00".repeat(32), type, null, tier,
                "spool-uploads", "uploads/" + jobId, 1, at), at);
    }

    private static JobCompleted completed(String jobId, long millis, Instant at) {
        return new JobCompleted(jobId, 1, at.minusMillis(millis), millis, new ExtractionResult("text/plain", 1, 10, 2,
                "en", null, null, "spool-text", "text/" + jobId, null, null, Map.of(), "gzip"), at);
    }

    private void send(String key, JobEvent event, Instant at) {
        facts.pipeInput(key, event, at);
    }
}
