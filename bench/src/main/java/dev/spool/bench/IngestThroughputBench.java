package dev.spool.bench;

import dev.spool.bench.BenchReport.Cpu;
import dev.spool.bench.BenchReport.Heap;
import dev.spool.bench.BenchReport.Host;
import dev.spool.bench.BenchReport.Run;
import dev.spool.bench.BenchReport.SizeResult;
import dev.spool.bench.BenchReport.Throughput;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How fast Spool's ingest stores a large file, by a multipart/form-data upload or a tus resumable upload, compared
 * with the AWS SDK uploading the same file straight to the same S3, and how much launcher heap an upload takes. See
 * {@code bench/README.md}.
 */
public final class IngestThroughputBench {

    private static final Logger LOG = LoggerFactory.getLogger(IngestThroughputBench.class);
    private static final long WARM_UP_BYTES = 64L * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    /** Parts the parallel reference has on their way at once: the SDK transfer manager's way, and ingest's default. */
    static final int PARALLEL_PARTS = 4;

    private final BenchOptions options;
    private final Path work;
    private final LauncherProcess launcher;
    private final HeapSampler heap;
    private final SpoolUpload ingest;
    private final DirectS3Upload s3;

    private IngestThroughputBench(BenchOptions options, Path work, LauncherProcess launcher, HttpClient http,
            JsonMapper json, DirectS3Upload s3) {
        this.options = options;
        this.work = work;
        this.launcher = launcher;
        this.heap = new HeapSampler(http, launcher.baseUrl());
        String token = BenchToken.mint(JWT_SECRET, json, Instant.now());
        this.ingest = "tus".equals(options.protocol()) ? new TusFileUpload(launcher.baseUrl(), token)
                : new IngestUpload(http, json, launcher.baseUrl(), token);
        this.s3 = s3;
    }

    /** Prints the result table for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args);
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Path work = Files.createTempDirectory("spool-bench-");
        Path dataDir = Files.createDirectory(work.resolve("data"));
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // A tus upload is many requests (one per 128 MiB), more than the per-user bucket allows in a few minutes.
        List<String> properties = "tus".equals(options.protocol()) ? List.of("-Dspool.ratelimit.enabled=false")
                : List.of();
        LauncherProcess launcher = LauncherProcess.start(options.launcherJar(), options.heap(), dataDir, JWT_SECRET,
                "ingest,projection", properties);
        Thread cleanup = new Thread(() -> {
            launcher.close();
            deleteRecursively(work);
        }, "spool-bench-cleanup");
        // Also on Ctrl-C or an exception: the child would otherwise keep its ports and its Redis process.
        Runtime.getRuntime().addShutdownHook(cleanup);
        BenchReport report;
        try (DirectS3Upload s3 = new DirectS3Upload(launcher.s3Endpoint(), LauncherProcess.S3_ACCESS_KEY,
                LauncherProcess.S3_SECRET_KEY)) {
            launcher.awaitReady(http);
            IngestThroughputBench bench = new IngestThroughputBench(options, work, launcher, http, json, s3);
            report = new BenchReport(date, options.protocol(), Host.current(),
                    options.heap() == null ? "default" : options.heap(), bench.run());
            if (report.sizes().stream().anyMatch(size -> size.incompleteRuns() > 0)) {
                Path kept = options.out().toAbsolutePath().resolveSibling(options.out().getFileName() + ".launcher.log");
                Files.createDirectories(kept.getParent());
                launcher.copyLog(kept);
                LOG.error("A run stored a different object than the file; the launcher's log is kept in {}", kept);
            }
        } catch (RuntimeException e) {
            LOG.error("Bench failed; the launcher's last lines:\n{}", launcher.logTail());
            throw e;
        } finally {
            launcher.close();
            deleteRecursively(work);
        }
        Path out = options.out().toAbsolutePath();
        Files.createDirectories(out.getParent());
        json.writeValue(out.toFile(), report);
        print(System.out, report);
        System.out.println("JSON written to " + out);
    }

    private List<SizeResult> run() throws IOException, InterruptedException {
        LOG.info("Warm-up with {} (not reported)", BenchOptions.label(WARM_UP_BYTES));
        Path warmUp = TestFile.create(work, WARM_UP_BYTES);
        s3.delete(timeReference(warmUp, 0).key());
        s3.delete(timeParallelReference(warmUp, 0).key());
        s3.delete(timeIngest(warmUp, 0).key());
        Files.delete(warmUp);
        List<SizeResult> results = new ArrayList<>();
        for (long size : options.sizes()) {
            results.add(measure(size));
        }
        return results;
    }

    private SizeResult measure(long size) throws IOException, InterruptedException {
        String label = BenchOptions.label(size);
        LOG.info("Writing a {} test file", label);
        Path file = TestFile.create(work, size);
        List<Run> references = new ArrayList<>();
        List<Run> parallelReferences = new ArrayList<>();
        List<Run> ingests = new ArrayList<>();
        List<Run> all = new ArrayList<>();
        try {
            for (int round = 1; round <= options.rounds(); round++) {
                Timed reference = timeReference(file, round);
                s3.delete(reference.key());
                Timed parallel = timeParallelReference(file, round);
                s3.delete(parallel.key());
                Timed uploaded = timeIngest(file, round);
                s3.delete(uploaded.key());
                references.add(reference.run());
                parallelReferences.add(parallel.run());
                ingests.add(uploaded.run());
                all.add(reference.run());
                all.add(parallel.run());
                all.add(uploaded.run());
            }
        } finally {
            Files.delete(file);
        }
        Throughput reference = Throughput.of(references);
        Throughput parallel = Throughput.of(parallelReferences);
        Throughput uploaded = Throughput.of(ingests);
        Heap worst = ingests.stream().map(Run::heap).max(Comparator.comparingDouble(Heap::peakMib)).orElseThrow();
        long incomplete = all.stream().filter(run -> run.storedBytes() != size).count();
        return new SizeResult(label, size, reference, parallel, uploaded, ratio(uploaded.best(), reference.best()),
                ratio(uploaded.mean(), reference.mean()), ratio(uploaded.best(), parallel.best()),
                ratio(uploaded.mean(), parallel.mean()), worst, incomplete, all);
    }

    private Timed timeReference(Path file, int round) throws IOException {
        return timeDirect("reference", file, round, () -> s3.upload(file));
    }

    private Timed timeParallelReference(Path file, int round) throws IOException {
        return timeDirect("parallel-reference", file, round, () -> s3.uploadParallel(file, PARALLEL_PARTS));
    }

    private Timed timeDirect(String kind, Path file, int round, DirectUpload upload) throws IOException {
        CpuWindow cpu = CpuWindow.open(ProcessHandle.of(launcher.pid()).orElseThrow());
        long start = System.nanoTime();
        String key = upload.run();
        long nanos = System.nanoTime() - start;
        Cpu used = Cpu.of(cpu.close(), Files.size(file));
        Run run = run(kind, round, file, nanos, null, used, stored(key, file), firstDifference(key, file));
        LOG.info("{} round {}: {} MiB/s", kind, round, run.mibPerSecond());
        return new Timed(key, run);
    }

    /** One upload straight to S3; the key it stored. */
    @FunctionalInterface
    private interface DirectUpload {
        String run() throws IOException;
    }

    private Timed timeIngest(Path file, int round) throws IOException, InterruptedException {
        collectGarbage();
        long before = heap.usedHeap();
        heap.start(before);
        CpuWindow cpu = CpuWindow.open(ProcessHandle.of(launcher.pid()).orElseThrow());
        long start = System.nanoTime();
        String key;
        try {
            key = ingest.upload(file);
        } finally {
            heap.close();
        }
        long nanos = System.nanoTime() - start;
        Cpu spent = Cpu.of(cpu.close(), Files.size(file));
        long stored = stored(key, file);
        Heap used = new Heap(BenchReport.round(before / MIB), BenchReport.round(heap.peak() / MIB),
                BenchReport.round((heap.peak() - before) / MIB), heap.samples());
        Run run = run("ingest", round, file, nanos, used, spent, stored, firstDifference(key, file));
        LOG.info("ingest round {}: {} MiB/s, heap {} -> {} MiB", round, run.mibPerSecond(), used.beforeMib(), used.peakMib());
        return new Timed(key, run);
    }

    /** A short object is a bug in what was measured, so the run is kept and flagged, not dropped. */
    private long stored(String key, Path file) throws IOException {
        long stored = s3.size(key);
        if (stored != Files.size(file)) {
            LOG.error("{} holds {} bytes, not {}: the upload lost or added data", key, stored, Files.size(file));
        }
        return stored;
    }

    /**
     * Where a stored object first differs from the file, or {@code null} when it is the file: an offset on a part
     * boundary points at the part buffer, one on a network buffer's at the transport or the multipart parser.
     */
    private Long firstDifference(String key, Path file) throws IOException {
        if (s3.size(key) == Files.size(file)) {
            return null;
        }
        long offset = s3.firstDifference(key, file);
        LOG.error("{} first differs from the file at byte {}", key, offset);
        return offset;
    }

    /** A full GC first, so that "before" is the heap the launcher keeps alive rather than leftover garbage. */
    private void collectGarbage() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            LOG.warn("No jcmd at {}; heap before each ingest run includes uncollected garbage", jcmd);
            return;
        }
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(launcher.pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (gc.waitFor() != 0) {
            LOG.warn("jcmd GC.run failed with {}", gc.exitValue());
        }
    }

    private static Run run(String kind, int round, Path file, long nanos, Heap heap, Cpu cpu, long stored,
            Long firstDifference) throws IOException {
        double seconds = nanos / 1e9;
        return new Run(kind, round, Math.round(seconds * 1000) / 1000.0, BenchReport.round(Files.size(file) / MIB / seconds), heap,
                cpu, stored, firstDifference);
    }

    private static double ratio(double ingest, double reference) {
        return Math.round(ingest / reference * 100) / 100.0;
    }

    private static void print(PrintStream out, BenchReport report) {
        Host host = report.host();
        out.printf(Locale.ROOT, "%nSpool ingest (%s) vs direct S3 multipart, %s, %d cores, %.1f GiB RAM, %s, launcher heap %s%n",
                report.protocol(), report.date(), host.cores(), host.totalRamGib(), host.javaVersion(), report.launcherHeap());
        out.println("Throughput in MiB/s (best / mean of the rounds); heap = launcher used heap in MiB");
        String format = "%-6s | %-18s | %-18s | %-18s | %-16s | %-16s | %-24s | %-22s%n";
        out.printf(Locale.ROOT, format, "size", "reference MiB/s", "parallel ref MiB/s", "ingest MiB/s", "ingest/reference",
                "ingest/parallel", "heap before/peak/growth", "launcher CPU s/GiB r/p/i");
        out.println("-".repeat(160));
        for (SizeResult size : report.sizes()) {
            out.printf(Locale.ROOT, format, size.size(),
                    size.referenceMibPerSecond().best() + " / " + size.referenceMibPerSecond().mean(),
                    size.parallelReferenceMibPerSecond().best() + " / " + size.parallelReferenceMibPerSecond().mean(),
                    size.ingestMibPerSecond().best() + " / " + size.ingestMibPerSecond().mean(),
                    size.ratioBest() + " / " + size.ratioMean(),
                    size.parallelRatioBest() + " / " + size.parallelRatioMean(),
                    size.heap().beforeMib() + " / " + size.heap().peakMib() + " / " + size.heap().growthMib(),
                    meanLauncherCpu(size, "reference") + " / " + meanLauncherCpu(size, "parallel-reference") + " / "
                            + meanLauncherCpu(size, "ingest"));
        }
        report.sizes().stream().filter(size -> size.incompleteRuns() > 0).forEach(size -> out.printf(Locale.ROOT,
                "WARNING %s: %d run(s) stored a different number of bytes than the file has; see runs[].storedBytes%n",
                size.size(), size.incompleteRuns()));
    }

    private static double meanLauncherCpu(SizeResult size, String kind) {
        double mean = size.runs().stream().filter(run -> kind.equals(run.kind()))
                .mapToDouble(run -> run.cpu().launcherSecondsPerGib()).average().orElse(Double.NaN);
        return Math.round(mean * 10) / 10.0;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {} completely", dir, e);
        }
    }

    /** An upload's S3 key, so it can be deleted, and its figures. */
    private record Timed(String key, Run run) {
    }
}
