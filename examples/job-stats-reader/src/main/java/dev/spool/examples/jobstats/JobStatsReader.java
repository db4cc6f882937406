package dev.spool.examples.jobstats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A downstream consumer of Spool's per-window job statistics ({@code spool.analytics.job-stats}), as a dashboard
 * would read them: plain kafka-clients and Jackson, no Spool classes, since each record is a JSON document keyed by
 * its window's start. The windows are written in Kafka transactions, so it reads committed records only. This is
 * the code that docs/analytics.md shows; its test reads windows published as the processor publishes them.
 */
public final class JobStatsReader implements AutoCloseable {

    /** The topic Spool publishes the windows to. */
    public static final String TOPIC = "spool.analytics.job-stats";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaConsumer<String, String> consumer;

    /**
     * One window of statistics.
     *
     * @param windowStart the window's start, ISO-8601, which is also the record's key
     * @param jobs jobs that ended in it
     * @param byOutcome those jobs by outcome ({@code completed}, {@code failed}, {@code dead_lettered})
     * @param p95Millis the 95th percentile of their processing time, or {@code null} when none completed
     */
    public record Window(String windowStart, long jobs, Map<String, Long> byOutcome, Long p95Millis) {
    }

    /**
     * @param bootstrapServers the Kafka cluster Spool runs on
     * @param groupId this reader's consumer group: a new group starts from the oldest window kept
     */
    public JobStatsReader(String bootstrapServers, String groupId) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
    }

    /** The windows published since the last call, waiting up to {@code timeout} when there are none yet. */
    public List<Window> poll(Duration timeout) {
        List<Window> windows = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            windows.add(window(record.key(), JSON.readTree(record.value())));
        }
        return windows;
    }

    static Window window(String key, JsonNode value) {
        Map<String, Long> byOutcome = new TreeMap<>();
        value.path("byOutcome").properties().forEach(entry -> byOutcome.put(entry.getKey(), entry.getValue().asLong()));
        JsonNode p95 = value.path("processingMillis").path("p95");
        return new Window(key, value.path("jobs").asLong(), byOutcome, p95.isNumber() ? p95.asLong() : null);
    }

    @Override
    public void close() {
        consumer.close();
    }

    /**
     * Prints every window as it is published: {@code java -cp … dev.spool.examples.jobstats.JobStatsReader
     * [bootstrap-servers]}, {@code localhost:9092} by default.
     */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) {
        String bootstrapServers = args.length > 0 ? args[0] : "localhost:9092";
        try (JobStatsReader reader = new JobStatsReader(bootstrapServers, "job-stats-dashboard")) {
            while (!Thread.currentThread().isInterrupted()) {
                for (Window window : reader.poll(Duration.ofSeconds(1))) {
                    // A command-line example: its output is the point.
                    System.out.printf("%s: %d jobs, %s, p95 %s ms%n", window.windowStart(), window.jobs(),
                            window.byOutcome(), window.p95Millis() == null ? "-" : window.p95Millis());
                }
            }
        }
    }
}
