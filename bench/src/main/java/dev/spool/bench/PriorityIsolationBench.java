package dev.spool.bench;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Priority isolation: how long a high-tier job takes from accepted to completed while 5,000 normal jobs (or
 * {@code -Dspool.bench.backlog=N} jobs of {@code -Dspool.bench.backlog-tier}) wait in their tier, next to the same
 * with no backlog, in one run on one launcher. See {@code bench/README.md}.
 */
public final class PriorityIsolationBench {

    private static final Logger LOG = LoggerFactory.getLogger(PriorityIsolationBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    private static final int BACKLOG = Integer.getInteger("spool.bench.backlog", 5_000);
    private static final Priority BACKLOG_TIER = Priority.valueOf(
            System.getProperty("spool.bench.backlog-tier", "normal").toUpperCase(Locale.ROOT));
    private static final int PROBES = Integer.getInteger("spool.bench.probes", 20);
    private static final Path LAUNCHER = Path.of(System.getProperty("spool.bench.launcher", "launcher/target/spool.jar"));
    private static final Path OUT = Path.of(System.getProperty("spool.bench.out", "bench/results/priority-isolation.json"));
    /** {@code status} (the default): until a status read says completed; {@code fact}: until the processor's fact. */
    private static final boolean STATUS_PROBES = !"fact".equals(System.getProperty("spool.bench.probe-until", "status"));
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LauncherProcess launcher;
    private final String premium;
    private final String standard;

    private PriorityIsolationBench(LauncherProcess launcher) {
        this.launcher = launcher;
        this.premium = BenchToken.mint(JWT_SECRET, json, Instant.now(), "premium-user");
        this.standard = BenchToken.mint(JWT_SECRET, json, Instant.now(), "standard-user", "standard");
    }

    /** Prints the result for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("spool-priority-bench-");
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try (LauncherProcess launcher = LauncherProcess.start(LAUNCHER, null,
                work.resolve("data"), JWT_SECRET, "ingest,processor,projection", List.of("-Dspool.ratelimit.enabled=false"))) {
            launcher.awaitReady(HttpClient.newHttpClient());
            PriorityIsolationBench bench = new PriorityIsolationBench(launcher);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("date", date);
            report.put("backlog", BACKLOG);
            report.put("backlogTier", BACKLOG_TIER.wireName());
            bench.probe("warm-up", 3);
            report.put("unloaded", bench.probe("unloaded", PROBES));
            long queuedAt = System.nanoTime();
            bench.backlog();
            report.put("backlogLagAfterBacklog", bench.backlogLag());
            report.put("loaded", bench.probe("loaded", PROBES));
            report.put("backlogLagAfterLoadedProbes", bench.backlogLag());
            report.put("loadedPhaseSeconds", Math.round((System.nanoTime() - queuedAt) / 1e7) / 100.0);
            report.put("launcher", LAUNCHER.toString());
            Files.createDirectories(OUT.toAbsolutePath().getParent());
            Files.writeString(OUT, bench.json.writeValueAsString(report));
            PrintStream stdout = System.out;
            stdout.println(bench.json.writeValueAsString(report));
            stdout.println("Written to " + OUT.toAbsolutePath());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * {@code count} high-tier jobs one after another: from the upload to the processor's completed fact on
     * {@code spool.job-events} (the processor's own latency), and to a status read that says completed (what a user
     * sees, the projection included).
     */
    private Map<String, Object> probe(String phase, int count) throws Exception {
        List<Double> status = new ArrayList<>();
        List<Double> fact = new ArrayList<>();
        try (CompletedFacts facts = new CompletedFacts(launcher.kafkaBootstrapServers())) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                String jobId = upload(premium, "A high-tier probe, " + phase + " number " + i);
                if (STATUS_PROBES) {
                    awaitCompleted(jobId, premium);
                    status.add((System.nanoTime() - start) / 1e6);
                }
                fact.add((facts.awaitCompleted(jobId, PROBE_TIMEOUT) - start) / 1e6);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("probes", count);
        result.put("completedFact", summary(fact));
        if (STATUS_PROBES) {
            result.put("completedStatus", summary(status));
        }
        LOG.info("{}: {}", phase, result);
        return result;
    }

    private static Map<String, Object> summary(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50Millis", percentile(sorted, 0.5));
        result.put("p95Millis", percentile(sorted, 0.95));
        result.put("maxMillis", round(sorted.get(sorted.size() - 1)));
        result.put("allMillis", millis.stream().map(PriorityIsolationBench::round).toList());
        return result;
    }

    /** BACKLOG jobs of BACKLOG_TIER queued at once, all reading one uploaded document, as a burst of uploads would. */
    private void backlog() throws Exception {
        String template = upload(standard, "A job in a long queue.");
        awaitCompleted(template, standard);
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, launcher.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20), Topics.jobs(BACKLOG_TIER).keySerializer(),
                Topics.jobs(BACKLOG_TIER).valueSerializer("/bench/priority"))) {
            for (int i = 0; i < BACKLOG; i++) {
                String jobId = UUID.randomUUID().toString();
                JobAccepted job = new JobAccepted(jobId, "standard-user", "queued.txt", 34, "00".repeat(32), "text/plain",
                        null, BACKLOG_TIER, "spool-uploads", "uploads/" + template, 1, Instant.now());
                producer.send(Topics.jobs(BACKLOG_TIER).record(jobId, job));
            }
            producer.flush();
        }
        LOG.info("{} {} jobs queued", BACKLOG, BACKLOG_TIER.wireName());
    }

    /** Records of the backlog tier's topic that the tier has not consumed yet. */
    private long backlogLag() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, launcher.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets("spool-processor-" + BACKLOG_TIER.wireName()).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (int partition = 0; partition < 6; partition++) {
                latest.put(new TopicPartition(Topics.jobs(BACKLOG_TIER).name(), partition), OffsetSpec.latest());
            }
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        }
    }

    private String upload(String token, String text) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(SmallUpload.request(launcher.baseUrl(), token, "probe.txt", "text/plain",
                text.getBytes(StandardCharsets.UTF_8)), BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("jobs").path(0).path("jobId").asString();
    }

    private void awaitCompleted(String jobId, String token) throws Exception {
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(launcher.baseUrl() + "/api/v1/jobs/"
                    + jobId)).header("Authorization", "Bearer " + token).build(), BodyHandlers.ofString());
            if (status.statusCode() == 200) {
                String state = json.readTree(status.body()).path("status").asString();
                if ("completed".equals(state)) {
                    return;
                }
                if ("failed".equals(state)) {
                    throw new IllegalStateException("job " + jobId + " failed: " + status.body());
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("job " + jobId + " did not complete within " + PROBE_TIMEOUT + "\n"
                + launcher.logTail());
    }

    private static double percentile(List<Double> sorted, double quantile) {
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
        return round(sorted.get(Math.max(0, index)));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
