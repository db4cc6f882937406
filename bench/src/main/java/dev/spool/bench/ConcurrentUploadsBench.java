package dev.spool.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A thousand 1 MiB uploads started at the same moment, as a thundering herd of clients would: how many ingest
 * accepts at once, how the rest are refused (503 {@code too_busy} with {@code Retry-After}, before their bodies are
 * read), how long until every upload is accepted when clients wait as told, and the launcher's heap meanwhile. The
 * reference, in the same run, is the same thousand objects put straight into the same S3 at the same concurrency.
 * See {@code bench/README.md}.
 */
public final class ConcurrentUploadsBench {

    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentUploadsBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    private static final int UPLOADS = Integer.getInteger("spool.bench.uploads", 1_000);
    private static final int SIZE = 1024 * 1024;
    private static final Duration GIVE_UP = Duration.ofMinutes(10);
    private static final double MIB = 1024.0 * 1024;

    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private final LauncherProcess launcher;
    private final byte[] content = new byte[SIZE];

    private ConcurrentUploadsBench(LauncherProcess launcher) {
        this.launcher = launcher;
        new Random(42).nextBytes(content);
        // A PDF signature is enough for ingest's content check; the rest is incompressible.
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, content, 0, 9);
    }

    /** Prints the result for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("spool-concurrent-bench-");
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try (LauncherProcess launcher = LauncherProcess.start(Path.of("launcher/target/spool.jar"), null,
                work.resolve("data"), JWT_SECRET, "ingest,projection", List.of("-Dspool.ratelimit.enabled=false"))) {
            launcher.awaitReady(HttpClient.newHttpClient());
            ConcurrentUploadsBench bench = new ConcurrentUploadsBench(launcher);
            bench.direct("warm-up-", 50);
            bench.spool(50);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("date", date);
            report.put("host", BenchReport.Host.current());
            report.put("uploads", UPLOADS);
            report.put("bytesEach", SIZE);
            report.put("reference", bench.direct("reference-", UPLOADS));
            report.put("spool", bench.spool(UPLOADS));
            Path out = Path.of("bench/results/concurrent-uploads.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, bench.json.writeValueAsString(report));
            print(System.out, report);
            System.out.println("Written to " + out.toAbsolutePath());
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** {@code count} PUTs of the same bytes straight into S3, all released at once from their own threads. */
    private Map<String, Object> direct(String prefix, int count) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try (S3Client s3 = DirectS3Upload.client(launcher.s3Endpoint(), LauncherProcess.S3_ACCESS_KEY,
                LauncherProcess.S3_SECRET_KEY, count)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Double>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = "bench/" + prefix + i;
                puts.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    long start = System.nanoTime();
                    s3.putObject(request -> request.bucket(DirectS3Upload.BUCKET).key(key), RequestBody.fromBytes(content));
                    return (System.nanoTime() - start) / 1e6;
                }, threads));
            }
            long start = System.nanoTime();
            go.countDown();
            List<Double> millis = new ArrayList<>();
            for (CompletableFuture<Double> put : puts) {
                millis.add(put.get(GIVE_UP.toSeconds(), TimeUnit.SECONDS));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("allStoredSeconds", BenchReport.round(seconds));
            result.put("mibPerSecond", BenchReport.round(count * SIZE / MIB / seconds));
            result.put("putLatency", LatencySummary.of(millis));
            LOG.info("direct S3, {} PUTs: {}", count, result);
            return result;
        } finally {
            threads.shutdownNow();
        }
    }

    /**
     * {@code count} uploads sent at once; a refused one waits its {@code Retry-After} (plus up to a second of jitter,
     * as a polite client spreads its retries) and tries again until accepted.
     */
    private Map<String, Object> spool(int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        String token = BenchToken.mint(JWT_SECRET, json, Instant.now(), "herd");
        ConcurrentLinkedQueue<Double> firstAttemptAccepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Double> untilAccepted = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
        AtomicInteger refusalsWithoutRetryAfter = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        try (HeapSampler heap = new HeapSampler(HttpClient.newHttpClient(), launcher.baseUrl())) {
            heap.start(heap.usedHeap());
            long start = System.nanoTime();
            List<CompletableFuture<Void>> uploads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                uploads.add(attempt(http, token, i, 1, start, firstAttemptAccepted, untilAccepted, refusals,
                        refusalsWithoutRetryAfter, attempts));
            }
            CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).get(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("allAcceptedSeconds", BenchReport.round(seconds));
            result.put("mibPerSecond", BenchReport.round(count * SIZE / MIB / seconds));
            result.put("acceptedOnFirstAttempt", firstAttemptAccepted.size());
            result.put("attempts", attempts.get());
            Map<String, Integer> refusedBy = new LinkedHashMap<>();
            refusals.forEach((code, n) -> refusedBy.put(code, n.get()));
            result.put("refusalsByCode", refusedBy);
            result.put("refusalsWithoutRetryAfter", refusalsWithoutRetryAfter.get());
            result.put("firstAttemptAcceptedLatency", LatencySummary.of(List.copyOf(firstAttemptAccepted)));
            result.put("untilAcceptedLatency", LatencySummary.of(List.copyOf(untilAccepted)));
            result.put("launcherHeapPeakMib", BenchReport.round(heap.peak() / MIB));
            LOG.info("spool, {} uploads: {}", count, result);
            return result;
        }
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    private CompletableFuture<Void> attempt(HttpClient http, String token, int number, int attempt, long start,
            ConcurrentLinkedQueue<Double> firstAttemptAccepted, ConcurrentLinkedQueue<Double> untilAccepted,
            Map<String, AtomicInteger> refusals, AtomicInteger refusalsWithoutRetryAfter, AtomicInteger attempts) {
        attempts.incrementAndGet();
        long sentAt = System.nanoTime();
        return http.sendAsync(SmallUpload.request(launcher.baseUrl(), token, "herd-" + number + ".pdf", "application/pdf",
                content), BodyHandlers.ofString()).thenCompose(response -> {
                    long now = System.nanoTime();
                    if (response.statusCode() == 202) {
                        if (attempt == 1) {
                            firstAttemptAccepted.add((now - sentAt) / 1e6);
                        }
                        untilAccepted.add((now - start) / 1e6);
                        return CompletableFuture.completedFuture(null);
                    }
                    refusals.computeIfAbsent(code(response), code -> new AtomicInteger()).incrementAndGet();
                    long waitMillis = retryAfterMillis(response, refusalsWithoutRetryAfter)
                            + ThreadLocalRandom.current().nextLong(1000);
                    return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS))
                            .thenCompose(waited -> attempt(http, token, number, attempt + 1, start, firstAttemptAccepted,
                                    untilAccepted, refusals, refusalsWithoutRetryAfter, attempts));
                });
    }

    private String code(HttpResponse<String> response) {
        try {
            return response.statusCode() + " " + json.readTree(response.body()).path("code").asString("?");
        } catch (RuntimeException notJson) {
            return response.statusCode() + " (no problem body)";
        }
    }

    private static long retryAfterMillis(HttpResponse<String> response, AtomicInteger without) {
        return response.headers().firstValue("Retry-After").map(seconds -> Long.parseLong(seconds) * 1000).orElseGet(() -> {
            without.incrementAndGet();
            return 1000L;
        });
    }

    private static void awaitQuietly(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, Map<String, Object> report) {
        Map<String, Object> direct = (Map<String, Object>) report.get("reference");
        Map<String, Object> spool = (Map<String, Object>) report.get("spool");
        LatencySummary put = (LatencySummary) direct.get("putLatency");
        LatencySummary first = (LatencySummary) spool.get("firstAttemptAcceptedLatency");
        LatencySummary until = (LatencySummary) spool.get("untilAcceptedLatency");
        out.printf(Locale.ROOT, "%n%d concurrent 1 MiB uploads, %s%n", report.get("uploads"), report.get("date"));
        out.printf(Locale.ROOT, "direct S3 PUT      : all stored in %s s (%s MiB/s), PUT p50 %s ms, p99 %s ms%n",
                direct.get("allStoredSeconds"), direct.get("mibPerSecond"), put.p50Millis(), put.p99Millis());
        out.printf(Locale.ROOT, "Spool POST uploads : all accepted in %s s (%s MiB/s), %s of %s accepted on the first "
                + "attempt (p50 %s ms, p99 %s ms), %s attempts%n", spool.get("allAcceptedSeconds"), spool.get("mibPerSecond"),
                spool.get("acceptedOnFirstAttempt"), report.get("uploads"), first.p50Millis(), first.p99Millis(),
                spool.get("attempts"));
        out.printf(Locale.ROOT, "refusals           : %s, without Retry-After: %s%n", spool.get("refusalsByCode"),
                spool.get("refusalsWithoutRetryAfter"));
        out.printf(Locale.ROOT, "until accepted     : p50 %s ms, p99 %s ms, max %s ms; launcher heap peak %s MiB%n",
                until.p50Millis(), until.p99Millis(), until.maxMillis(), spool.get("launcherHeapPeakMib"));
    }
}
