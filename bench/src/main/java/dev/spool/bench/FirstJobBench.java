package dev.spool.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first job after readiness: the whole launcher is started on an empty data folder, and the moment its
 * readiness on the HTTP port says UP one 10 KB text is uploaded and its status read every 10 ms until it says
 * {@code completed}. Each round is a fresh launcher. It reports how long readiness took, then from UP: the 202, the
 * first status read that found the job (and how many answered 404 before it, right after the 202) and completed.
 * See {@code bench/README.md}.
 */
public final class FirstJobBench {

    private static final Logger LOG = LoggerFactory.getLogger(FirstJobBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration COMPLETION_TIMEOUT = Duration.ofMinutes(2);

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Path launcherJar;

    private FirstJobBench(Path launcherJar) {
        this.launcherJar = launcherJar;
    }

    /** Prints the result for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        int rounds = 3;
        Path launcher = Path.of("launcher/target/spool.jar");
        Path out = Path.of("bench/results/first-job.json");
        for (Map.Entry<String, String> option : CommandLine.options(args).entrySet()) {
            switch (option.getKey()) {
                case "--rounds" -> rounds = Integer.parseInt(option.getValue());
                case "--launcher" -> launcher = Path.of(option.getValue());
                case "--out" -> out = Path.of(option.getValue());
                default -> throw new IllegalArgumentException("unknown option " + option.getKey()
                        + "; options: --rounds 3 --launcher launcher/target/spool.jar --out bench/results/first-job.json");
            }
        }
        FirstJobBench bench = new FirstJobBench(launcher);
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<Round> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Round result = bench.round(round);
            LOG.info("round {}: {}", round, result);
            results.add(result);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", date);
        report.put("host", BenchReport.Host.current());
        report.put("documentBytes", LoadDocument.TEXT.bytes(0).length);
        report.put("rounds", results);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, bench.json.writeValueAsString(report));
        print(System.out, date, results);
        System.out.println("Written to " + out.toAbsolutePath());
    }

    private Round round(int number) throws Exception {
        Path work = Files.createTempDirectory("spool-first-job-bench-");
        long start = System.nanoTime();
        try (LauncherProcess launcher = LauncherProcess.start(launcherJar, null, work.resolve("data"), JWT_SECRET,
                "ingest,processor,projection", List.of())) {
            launcher.awaitReady(http);
            long ready = System.nanoTime();
            String token = BenchToken.mint(JWT_SECRET, json, Instant.now(), "first-job-user");
            HttpResponse<String> accepted = http.send(SmallUpload.request(launcher.baseUrl(), token,
                    LoadDocument.TEXT.filename(number), LoadDocument.TEXT.contentType(), LoadDocument.TEXT.bytes(number)),
                    HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("the upload answered " + accepted.statusCode() + ": " + accepted.body());
            }
            String jobId = json.readTree(accepted.body()).path("jobs").path(0).path("jobId").asString();
            HttpRequest status = HttpRequest.newBuilder(URI.create(launcher.baseUrl() + "/api/v1/jobs/" + jobId))
                    .header("Authorization", "Bearer " + token).build();
            int notFound = 0;
            long found = -1;
            long deadline = answered + COMPLETION_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> read = http.send(status, HttpResponse.BodyHandlers.ofString());
                long at = System.nanoTime();
                if (read.statusCode() == 404) {
                    notFound++;
                } else if (read.statusCode() == 200) {
                    found = found < 0 ? at : found;
                    if ("completed".equals(json.readTree(read.body()).path("status").asString())) {
                        return new Round(number, millis(ready - start), millis(answered - ready),
                                millis(found - answered), notFound, millis(at - ready));
                    }
                } else {
                    throw new IllegalStateException(status.uri() + " answered " + read.statusCode() + ": " + read.body());
                }
                Thread.sleep(POLL.toMillis());
            }
            throw new IllegalStateException("job " + jobId + " did not complete within " + COMPLETION_TIMEOUT);
        } finally {
            deleteRecursively(work);
        }
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void print(PrintStream out, String date, List<Round> rounds) {
        out.printf(Locale.ROOT, "%nSpool's first job after readiness, 10 KB text, fresh launcher per round, %s (ms)%n",
                date);
        String format = "%-5s | %-16s | %-14s | %-22s | %-12s | %-20s%n";
        out.printf(Locale.ROOT, format, "round", "start -> ready", "ready -> 202", "202 -> status found", "404s seen",
                "ready -> completed");
        out.println("-".repeat(105));
        for (Round round : rounds) {
            out.printf(Locale.ROOT, format, round.round(), round.readyMillis(), round.acceptedMillis(),
                    round.foundAfterAcceptedMillis(), round.notFoundAfterAccepted(), round.completedMillis());
        }
    }

    /**
     * One fresh launcher's first job.
     *
     * @param readyMillis from starting the launcher to its readiness saying UP
     * @param acceptedMillis from UP to the upload's 202
     * @param foundAfterAcceptedMillis from the 202 to the first status read that found the job
     * @param notFoundAfterAccepted status reads that answered 404 after the 202
     * @param completedMillis from UP to the first status read that said completed
     */
    record Round(int round, long readyMillis, long acceptedMillis, long foundAfterAcceptedMillis,
            int notFoundAfterAccepted, long completedMillis) {
    }
}
