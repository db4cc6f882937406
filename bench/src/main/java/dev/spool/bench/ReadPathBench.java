package dev.spool.bench;

import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.JobProgress;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spool's read path on one launcher process: status reads against the same server's health endpoint (wrk, same
 * run), and 10,000 server-sent-event subscribers on one ingest instance with their heap and delivery latency (a
 * progress signal published to Kafka, folded by the projection into Redis, fanned out by ingest). See
 * {@code bench/README.md}.
 */
public final class ReadPathBench {

    private static final Logger LOG = LoggerFactory.getLogger(ReadPathBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    private static final double MIB = 1024.0 * 1024;
    private static final int JOBS = 100;
    private static final int SUBSCRIBERS = Integer.getInteger("spool.bench.subscribers", 10_000);
    private static final int ROUNDS = Integer.getInteger("spool.bench.rounds", 10);
    /** Time between rounds: long enough that a round's fan-out ends before the next begins. */
    private static final Duration ROUND_INTERVAL = Duration.ofMillis(Integer.getInteger("spool.bench.round-millis", 5000));
    private static final int BATCH = 500;
    private static final int CLIENTS = 4;
    private static final Duration WRK_DURATION = Duration.ofSeconds(Integer.getInteger("spool.bench.wrk-seconds", 20));
    private static final int WRK_ROUNDS = 2;

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final LauncherProcess launcher;
    private final HeapSampler heap;
    private final List<String> jobIds = new ArrayList<>();
    private final Map<String, String> tokens = new LinkedHashMap<>();

    private ReadPathBench(LauncherProcess launcher) {
        this.launcher = launcher;
        this.heap = new HeapSampler(http, launcher.baseUrl());
    }

    /** Prints the result table for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("spool-read-bench-");
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try (LauncherProcess launcher = LauncherProcess.start(Path.of("launcher/target/spool.jar"), null,
                work.resolve("data"), JWT_SECRET)) {
            launcher.awaitReady(HttpClient.newHttpClient());
            ReadPathBench bench = new ReadPathBench(launcher);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("date", date);
            report.put("host", host());
            bench.createJobs();
            report.put("statusVsHealth", bench.statusVsHealth());
            report.put("sse", bench.sseFanOut());
            Path out = Path.of("bench/results/read-path.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, bench.json.writeValueAsString(report));
            print(System.out, report, out);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** One small text job per user, so that each subscriber follows a job of its own user. */
    private void createJobs() throws Exception {
        for (int i = 0; i < JOBS; i++) {
            String user = "reader-" + i;
            String token = BenchToken.mint(JWT_SECRET, json, Instant.now(), user);
            String boundary = "spool-bench-" + UUID.randomUUID();
            String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\nA note of user " + user + " for the read-path bench.\r\n--"
                    + boundary + "--\r\n";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(launcher.baseUrl() + "/api/v1/uploads"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
            }
            String jobId = json.readTree(response.body()).path("jobs").path(0).path("jobId").asString();
            jobIds.add(jobId);
            tokens.put(jobId, token);
        }
        for (String jobId : jobIds) {
            awaitView(jobId);
        }
        LOG.info("{} jobs uploaded and projected", JOBS);
    }

    private void awaitView(String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (status(jobId).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + jobId + " never got a view");
    }

    private HttpResponse<String> status(String jobId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(launcher.baseUrl() + "/api/v1/jobs/" + jobId))
                .header("Authorization", "Bearer " + tokens.get(jobId)).build(), BodyHandlers.ofString());
    }

    /** wrk against a status read and the health endpoint, alternating, in the same run. */
    private Map<String, Object> statusVsHealth() throws Exception {
        String jobId = jobIds.get(0);
        String statusUrl = launcher.baseUrl() + "/api/v1/jobs/" + jobId;
        String healthUrl = launcher.baseUrl() + "/actuator/health/liveness";
        // JIT warm-up of both paths before anything is timed
        WrkRun.run(statusUrl, "Authorization: Bearer " + tokens.get(jobId), 2, 64, Duration.ofSeconds(15));
        WrkRun.run(healthUrl, null, 2, 64, Duration.ofSeconds(15));
        List<WrkRun> status = new ArrayList<>();
        List<WrkRun> health = new ArrayList<>();
        for (int round = 0; round < WRK_ROUNDS; round++) {
            status.add(WrkRun.run(statusUrl, "Authorization: Bearer " + tokens.get(jobId), 2, 64, WRK_DURATION));
            health.add(WrkRun.run(healthUrl, null, 2, 64, WRK_DURATION));
            LOG.info("round {}: status {} req/s p99 {} ms, health {} req/s p99 {} ms", round + 1,
                    status.get(round).requestsPerSecond(), status.get(round).p99Millis(),
                    health.get(round).requestsPerSecond(), health.get(round).p99Millis());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("command", "wrk -t2 -c64 -d" + WRK_DURATION.toSeconds() + "s --latency");
        result.put("status", status);
        result.put("health", health);
        double statusBest = status.stream().mapToDouble(WrkRun::requestsPerSecond).max().orElseThrow();
        double healthBest = health.stream().mapToDouble(WrkRun::requestsPerSecond).max().orElseThrow();
        result.put("statusOverHealthBest", round(statusBest / healthBest));
        return result;
    }

    /** SUBSCRIBERS open feeds spread over the jobs, then ROUNDS of progress signals timed to their arrival. */
    private Map<String, Object> sseFanOut() throws Exception {
        gc();
        long heapBefore = heap.usedHeap();
        int[] percents = new int[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            percents[round] = 1 + round * 4;
        }
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build());
        }
        List<SseSubscriber> subscribers = new ArrayList<>();
        List<String> subscribed = new ArrayList<>();
        long connectStart = System.nanoTime();
        for (int from = 0; from < SUBSCRIBERS; from += BATCH) {
            int batch = Math.min(BATCH, SUBSCRIBERS - from);
            CountDownLatch connected = new CountDownLatch(batch);
            for (int i = from; i < from + batch; i++) {
                String jobId = jobIds.get(i % JOBS);
                SseSubscriber subscriber = new SseSubscriber(connected, percents);
                subscribers.add(subscriber);
                subscribed.add(jobId);
                clients.get(i % CLIENTS).sendAsync(HttpRequest.newBuilder(URI.create(launcher.baseUrl()
                                + "/api/v1/jobs/" + jobId + "/events"))
                        .header("Authorization", "Bearer " + tokens.get(jobId))
                        .header("Accept", "text/event-stream").build(),
                        BodyHandlers.fromLineSubscriber(subscriber));
            }
            if (!connected.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (subscribers.size() - connected.getCount()) + " of "
                        + subscribers.size() + " subscribers got their first event; launcher log:\n" + launcher.logTail());
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        LOG.info("{} subscribers connected in {} s", SUBSCRIBERS, round(connectSeconds));
        double serverConnections = metric("spool_sse_connections");
        gc();
        long heapConnected = heap.usedHeap();

        long[][] sent = new long[JOBS][ROUNDS];
        heap.start(heapConnected);
        try (KafkaProducer<String, JobEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, launcher.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                Topics.JOB_PROGRESS.keySerializer(), Topics.JOB_PROGRESS.valueSerializer("/bench/read-path"))) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int job = 0; job < JOBS; job++) {
                    String jobId = jobIds.get(job);
                    sent[job][round] = System.nanoTime();
                    producer.send(Topics.JOB_PROGRESS.record(jobId,
                            new JobProgress(jobId, 1, Stage.EXTRACTING, percents[round], Instant.now())));
                }
                producer.flush();
                Thread.sleep(ROUND_INTERVAL.toMillis());
            }
        }
        Thread.sleep(Math.max(0, 15_000 - ROUND_INTERVAL.toMillis()));
        long heapPeak = heap.peak();
        heap.close();

        List<Long> latencies = new ArrayList<>();
        long missed = 0;
        long[] lastArrival = new long[ROUNDS];
        for (int i = 0; i < subscribers.size(); i++) {
            int job = jobIds.indexOf(subscribed.get(i));
            for (int round = 0; round < ROUNDS; round++) {
                long arrival = subscribers.get(i).arrival(round);
                if (arrival == 0) {
                    missed++;
                } else {
                    latencies.add(arrival - sent[job][round]);
                    lastArrival[round] = Math.max(lastArrival[round], arrival);
                }
            }
        }
        List<Double> roundFanOutMillis = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            roundFanOutMillis.add(round((lastArrival[round] - sent[0][round]) / 1e6));
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("subscribers", SUBSCRIBERS);
        result.put("jobs", JOBS);
        result.put("rounds", ROUNDS);
        result.put("roundIntervalMillis", ROUND_INTERVAL.toMillis());
        result.put("roundFanOutMillis", roundFanOutMillis);
        result.put("connectSeconds", round(connectSeconds));
        result.put("serverSseConnections", serverConnections);
        result.put("heapBeforeMib", round(heapBefore / MIB));
        result.put("heapConnectedMib", round(heapConnected / MIB));
        result.put("heapPerSubscriberKib", round((heapConnected - heapBefore) / 1024.0 / SUBSCRIBERS));
        result.put("heapPeakDuringDeliveryMib", round(heapPeak / MIB));
        result.put("expectedDeliveries", (long) SUBSCRIBERS * ROUNDS);
        result.put("deliveries", sorted.length);
        result.put("missed", missed);
        result.put("latencyMillis", Map.of(
                "p50", percentile(sorted, 0.50), "p95", percentile(sorted, 0.95),
                "p99", percentile(sorted, 0.99), "max", sorted.length == 0 ? -1 : round(sorted[sorted.length - 1] / 1e6)));
        return result;
    }

    private static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return round(sorted[Math.max(0, index)] / 1e6);
    }

    private double metric(String name) throws IOException, InterruptedException {
        String exposition = http.send(HttpRequest.newBuilder(URI.create(launcher.baseUrl() + "/actuator/prometheus"))
                .build(), BodyHandlers.ofString()).body();
        return exposition.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** A full GC first, so that a heap figure is what the launcher keeps alive rather than leftover garbage. */
    private void gc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(launcher.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            LOG.warn("jcmd GC.run did not succeed; heap figures include uncollected garbage");
        }
    }

    private static Map<String, Object> host() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cores", Runtime.getRuntime().availableProcessors());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        host.put("totalRamGib", round(os.getTotalMemorySize() / MIB / 1024));
        host.put("javaVersion", System.getProperty("java.runtime.version"));
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return host;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @SuppressWarnings({"checkstyle:regexp", "unchecked"})
    private static void print(PrintStream out, Map<String, Object> report, Path file) {
        Map<String, Object> wrk = (Map<String, Object>) report.get("statusVsHealth");
        out.println();
        out.println("Status GET vs health (" + wrk.get("command") + ")");
        out.println("| endpoint | round | requests/s | p50 ms | p99 ms | non-2xx |");
        out.println("|---|---|---|---|---|---|");
        for (String endpoint : List.of("status", "health")) {
            List<WrkRun> runs = (List<WrkRun>) wrk.get(endpoint);
            for (int i = 0; i < runs.size(); i++) {
                WrkRun run = runs.get(i);
                out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |%n", endpoint, i + 1, run.requestsPerSecond(),
                        run.p50Millis(), run.p99Millis(), run.non2xx());
            }
        }
        out.println("status / health (best requests/s): " + wrk.get("statusOverHealthBest"));
        out.println();
        out.println("SSE fan-out: " + report.get("sse"));
        out.println("Written to " + file.toAbsolutePath());
    }
}
