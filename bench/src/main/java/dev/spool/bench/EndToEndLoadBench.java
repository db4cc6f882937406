package dev.spool.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * End-to-end throughput and latency: 10 KB text documents uploaded at a fixed rate (open loop: uploads go out on
 * schedule whether or not earlier ones finished), step by step at rising rates until the pipeline saturates. For
 * each job the latency runs from the upload's 202 (accepted) to its completed fact on {@code spool.job-events}.
 * The reference is the first, lightest step on the same launcher in the same run: later steps are read as ratios
 * of it. See {@code bench/README.md}.
 */
public final class EndToEndLoadBench {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndLoadBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    private static final List<Integer> RATES = rates(System.getProperty("spool.bench.rates", "2,5,10,20,40,80"));
    private static final Duration STEP = Duration.ofSeconds(Long.getLong("spool.bench.step-seconds", 20));
    private static final Duration DRAIN = Duration.ofMinutes(3);

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LauncherProcess launcher;
    private final String token;

    private EndToEndLoadBench(LauncherProcess launcher) {
        this.launcher = launcher;
        this.token = BenchToken.mint(JWT_SECRET, json, Instant.now(), "load-user");
    }

    /** Prints the result for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("spool-e2e-bench-");
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try (LauncherProcess launcher = LauncherProcess.start(Path.of("launcher/target/spool.jar"), null,
                work.resolve("data"), JWT_SECRET, "ingest,processor,projection", List.of("-Dspool.ratelimit.enabled=false"))) {
            launcher.awaitReady(HttpClient.newHttpClient());
            EndToEndLoadBench bench = new EndToEndLoadBench(launcher);
            List<Map<String, Object>> steps = new ArrayList<>();
            try (CompletedFacts facts = new CompletedFacts(launcher.kafkaBootstrapServers())) {
                bench.step(facts, 2, Duration.ofSeconds(5));
                for (int rate : RATES) {
                    Map<String, Object> step = bench.step(facts, rate, STEP);
                    steps.add(step);
                    if (Boolean.TRUE.equals(step.get("saturated"))) {
                        break;
                    }
                }
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("date", date);
            report.put("host", BenchReport.Host.current());
            report.put("documentBytes", LoadDocument.TEXT.bytes(0).length);
            report.put("stepSeconds", STEP.toSeconds());
            report.put("steps", steps);
            Path out = Path.of("bench/results/end-to-end-load.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, bench.json.writeValueAsString(report));
            print(System.out, date, steps);
            System.out.println("Written to " + out.toAbsolutePath());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Uploads at {@code rate} per second for {@code length}, then waits for every accepted job's completed fact.
     * The step is saturated when the pipeline completed fewer than 90 % of the offered jobs per second, measured
     * from the first upload to the last completion.
     */
    private Map<String, Object> step(CompletedFacts facts, int rate, Duration length) throws Exception {
        int total = (int) (rate * length.toSeconds());
        TextUploads uploads = new TextUploads(http, launcher.baseUrl(), List.of(token), json);
        OpenLoop.Sent<AcceptedJob> sent = OpenLoop.run(total, rate, uploads::send, Duration.ofMinutes(2));
        CompletedFacts.Drained drained = facts.drain(sent.results(), DRAIN);
        double seconds = (Math.max(sent.startedAt(), drained.lastCompletion()) - sent.startedAt()) / 1e9;
        double completedPerSecond = drained.latenciesMillis().size() / seconds;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("offeredPerSecond", rate);
        result.put("uploads", total);
        result.put("accepted", sent.results().size());
        result.put("refused", uploads.refused());
        result.put("sentPerSecond", BenchReport.round(sent.sentPerSecond()));
        result.put("completedPerSecond", BenchReport.round(completedPerSecond));
        result.put("notCompletedWithinDrain", drained.notCompleted());
        result.put("acceptedToCompleted", LatencySummary.of(drained.latenciesMillis()));
        result.put("saturated", completedPerSecond < 0.9 * rate || drained.notCompleted() > 0 || uploads.refused() > 0);
        LOG.info("{}/s: {}", rate, result);
        return result;
    }

    private static List<Integer> rates(String list) {
        return Stream.of(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static void print(PrintStream out, String date, List<Map<String, Object>> steps) {
        out.printf(Locale.ROOT, "%nSpool end to end, 10 KB text documents, %s (accepted -> completed fact, ms)%n", date);
        String format = "%-9s | %-9s | %-11s | %-8s | %-8s | %-8s | %-8s | %-12s%n";
        out.printf(Locale.ROOT, format, "offered/s", "accepted", "completed/s", "p50", "p95", "p99", "max", "p99 / ref p50");
        out.println("-".repeat(96));
        double reference = ((LatencySummary) steps.get(0).get("acceptedToCompleted")).p50Millis();
        for (Map<String, Object> step : steps) {
            LatencySummary latency = (LatencySummary) step.get("acceptedToCompleted");
            out.printf(Locale.ROOT, format, step.get("offeredPerSecond"), step.get("accepted"),
                    step.get("completedPerSecond"), latency.p50Millis(), latency.p95Millis(), latency.p99Millis(),
                    latency.maxMillis(), BenchReport.round(latency.p99Millis() / reference)
                            + (Boolean.TRUE.equals(step.get("saturated")) ? " saturated" : ""));
        }
    }
}
