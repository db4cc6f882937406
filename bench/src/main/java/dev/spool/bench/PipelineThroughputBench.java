package dev.spool.bench;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.topic.TopicProvisioner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throughput of each part of the pipeline alone and of the whole, side by side in one run: a plain exactly-once
 * kafka-clients loop on the same broker (the ceiling), the processor alone on preloaded work records, the
 * projection alone on preloaded events, and the pipeline end to end over HTTP. For each: the saturation
 * throughput, its ratio to the ceiling, the latency at half of it, the CPU per unit and where the launcher's time
 * went (from a flight recording). Each stage runs on a launcher of its own with a fresh data folder. See
 * {@code bench/README.md}.
 */
public final class PipelineThroughputBench {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineThroughputBench.class);
    private static final String JWT_SECRET = "spool-bench-secret-of-at-least-32-bytes!";
    /** Uploads a second while ingest and the whole pipeline warm up. */
    private static final int WARM_UP_RATE = 50;
    /** async-profiler's CPU sampling interval: fine enough for a few thousand samples per stage on two cores. */
    private static final String PROFILER_INTERVAL = "2ms";
    private static final int JOBS_PER_TRANSACTION = 100;
    private static final Duration SEND_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(90);
    private static final String DURABLE_GROUP = "spool-projection";
    private static final String LIVE_GROUP = "spool-projection-live";
    private static final Duration CATCH_UP = Duration.ofMinutes(4);
    private static final int HEAD_OF_LINE_PARTITION = 0;
    /** The slow job ends by the extraction timeout (default 60 s) at the latest; this allows for a longer one. */
    private static final Duration SLOW_JOB_TIMEOUT = Duration.ofMinutes(5);

    private final PipelineOptions options;
    private final Path work;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PipelineThroughputBench(PipelineOptions options, Path work) {
        this.options = options;
        this.work = work;
    }

    /** Prints the result for the person who ran it, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    public static void main(String[] args) throws Exception {
        PipelineOptions options = PipelineOptions.parse(args);
        Path work = Files.createTempDirectory("spool-pipeline-bench-");
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            PipelineThroughputBench bench = new PipelineThroughputBench(options, work);
            List<StageResult> stages = new ArrayList<>();
            for (String stage : options.stages()) {
                StageResult result = switch (stage) {
                    case "reference" -> bench.reference();
                    case "ingest" -> bench.ingest();
                    case "processor" -> bench.processor();
                    case "projection" -> bench.projection();
                    case "head-of-line" -> bench.headOfLine();
                    default -> bench.endToEnd();
                };
                LOG.info("{}: {} {}/s", stage, result.perSecond(), result.unit());
                stages.add(result);
            }
            List<StageResult> compared = compared(stages);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("date", date);
            report.put("host", BenchReport.Host.current());
            report.put("options", options);
            report.put("document", options.document().name().toLowerCase(Locale.ROOT));
            report.put("documentBytes", options.document().bytes(0).length);
            report.put("stages", compared);
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), bench.json.writeValueAsString(report));
            PrintStream stdout = System.out;
            print(stdout, date, compared);
            stdout.println("Written to " + options.out().toAbsolutePath());
        } finally {
            keepRecordings(work, options.recordings());
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Moves the stages' flight recordings out of the work folder, for a closer look with {@code jfr} or JMC. */
    private static void keepRecordings(Path work, Path recordings) throws IOException {
        if (recordings == null) {
            return;
        }
        Files.createDirectories(recordings);
        try (Stream<Path> files = Files.list(work)) {
            for (Path recording : files.filter(file -> file.toString().endsWith(".jfr")).toList()) {
                Files.move(recording, recordings.resolve(recording.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        LOG.info("Flight recordings kept in {}", recordings.toAbsolutePath());
    }

    private static List<StageResult> compared(List<StageResult> stages) {
        return stages.stream().filter(stage -> stage.stage().equals("reference")).findFirst()
                .map(reference -> stages.stream().map(stage -> stage.withReference(reference.perSecond())).toList())
                .orElse(stages);
    }

    /** The plain exactly-once loop over {@code --reference-records} preloaded work records. */
    private StageResult reference() throws Exception {
        int records = options.referenceRecords();
        CpuWindow.Usage cpu;
        ReferenceLoop.Run run;
        try (LauncherProcess launcher = start("reference", "projection", List.of())) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, launcher.kafkaBootstrapServers()))) {
                TopicProvisioner.ensure(admin, ReferenceLoop.topics(), (short) 1);
            }
            try (WorkRecords writer = new WorkRecords(launcher.kafkaBootstrapServers())) {
                writer.write(ReferenceLoop.INPUT, WorkRecords.jobs(0, records), 500);
            }
            CpuWindow window = CpuWindow.open(launcher.handle());
            run = ReferenceLoop.run(launcher.kafkaBootstrapServers(), records, Duration.ofMinutes(5));
            cpu = window.close();
        }
        return StageResult.of("reference", "records", run.records(), run.seconds(), null, cpu,
                details("reference", cpu, Map.of("preloaded", records)),
                hotspots("reference", "the broker's request handler and network threads",
                        name -> name.contains("kafka-request-handler") || name.contains("kafka-network-thread"), cpu),
                cpuProfile("reference", cpu));
    }

    /**
     * The processor alone: {@code --jobs} work records queued at once on documents already in S3, then a paced run
     * at half the throughput found, each job from its produce to its completed fact.
     */
    private StageResult processor() throws Exception {
        int count = options.jobs();
        CpuWindow.Usage cpu;
        CompletedFacts.Drained drained;
        long start;
        StageResult.Paced paced;
        try (LauncherProcess launcher = start("processor", "processor", List.of());
                ProcessorInstances more = ProcessorInstances.start(options.processorJar(), options.processors() - 1,
                        launcher, work.resolve("processor-instances"));
                S3Client s3 = DirectS3Upload.client(launcher.s3Endpoint(), LauncherProcess.S3_ACCESS_KEY,
                        LauncherProcess.S3_SECRET_KEY, 8);
                CompletedFacts facts = new CompletedFacts(launcher.kafkaBootstrapServers());
                WorkRecords writer = new WorkRecords(launcher.kafkaBootstrapServers())) {
            int warmUpJobs = warmUpProcessor(s3, facts, writer);
            List<JobAccepted> jobs = WorkRecords.jobs(warmUpJobs, count, options.document());
            WorkRecords.store(s3, jobs);
            LOG.info("{} documents in S3; queueing their jobs for {} processor instances", count, 1 + more.count());
            CpuWindow window = CpuWindow.open(launcher.handle());
            Duration moreBefore = more.cpu();
            start = System.nanoTime();
            writer.accept(jobs, JOBS_PER_TRANSACTION);
            drained = facts.drain(accepted(jobs, start), Duration.ofSeconds(Math.max(180, count / 5)));
            CpuWindow.Usage launcherOnly = window.close();
            // The other instances' CPU counts as the launcher's: CPU per job is that of every processor.
            cpu = new CpuWindow.Usage(launcherOnly.from(), launcherOnly.to(),
                    launcherOnly.launcher().plus(more.cpu().minus(moreBefore)), launcherOnly.bench());
            double perSecond = drained.latenciesMillis().size() / ((drained.lastCompletion() - start) / 1e9);
            paced = pacedWork(facts, writer, jobs, perSecond / 2);
        }
        double seconds = (drained.lastCompletion() - start) / 1e9;
        return StageResult.of("processor", "jobs", drained.latenciesMillis().size(), seconds, paced, cpu,
                details("processor", cpu, Map.of("queued", count, "notCompleted", drained.notCompleted(),
                        "processorInstances", options.processors())),
                hotspots("processor", "stream threads and job pools (*StreamThread*, spool-jobs-*)",
                        PipelineThroughputBench::processorThread, cpu),
                cpuProfile("processor", cpu));
    }

    /**
     * Runs {@code --warm-up} jobs through the processor, unmeasured, so that its code is compiled and its extraction
     * workers are started; returns how many, the number of the first job after them.
     */
    private int warmUpProcessor(S3Client s3, CompletedFacts facts, WorkRecords writer) throws Exception {
        List<JobAccepted> warmUp = WorkRecords.jobs(0, options.warmUp(), options.document());
        WorkRecords.store(s3, warmUp);
        writer.accept(warmUp, JOBS_PER_TRANSACTION);
        facts.drain(accepted(warmUp, System.nanoTime()), SEND_TIMEOUT);
        return warmUp.size();
    }

    /** Jobs produced one per transaction at {@code perSecond}, as single uploads leave ingest. */
    private StageResult.Paced pacedWork(CompletedFacts facts, WorkRecords writer, List<JobAccepted> documents,
            double perSecond) throws Exception {
        int count = (int) Math.max(1, perSecond * options.paceSeconds());
        OpenLoop.Sent<AcceptedJob> sent = OpenLoop.run(count, perSecond, number -> {
            JobAccepted job = WorkRecords.sameDocument(documents.get(number % documents.size()));
            long at = System.nanoTime();
            try {
                writer.accept(List.of(job), 1);
                return CompletableFuture.completedFuture(new AcceptedJob(job.jobId(), at));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, SEND_TIMEOUT);
        CompletedFacts.Drained drained = facts.drain(sent.results(), SEND_TIMEOUT);
        return new StageResult.Paced(BenchReport.round(perSecond), BenchReport.round(sent.sentPerSecond()), count,
                drained.notCompleted(), LatencySummary.of(drained.latenciesMillis()), "completed fact (read committed)");
    }

    /**
     * Head-of-line blocking: {@code --hol-jobs} small jobs sent at {@code --hol-rate} into one partition of the normal
     * tier, first to an idle processor and then right behind a slow job in the same partition (a PDF catalogue of
     * {@code --slow-pages} pages, extracted for tens of seconds or until the extraction timeout stops it), each from
     * its produce to its completed fact. The page limit is lifted in this stage's launcher so that the catalogue is
     * extracted rather than refused at once.
     */
    private StageResult headOfLine() throws Exception {
        CpuWindow.Usage cpu;
        HeadOfLineRun idle;
        HeadOfLineRun behind;
        CompletedFacts.Ended slowEnd;
        long slowQueuedAt;
        byte[] catalogue = CataloguePdf.of(options.slowPages());
        try (LauncherProcess launcher = start("head-of-line", "processor",
                        List.of("-Dspool.processor.extraction.max-pages=" + Integer.MAX_VALUE));
                S3Client s3 = DirectS3Upload.client(launcher.s3Endpoint(), LauncherProcess.S3_ACCESS_KEY,
                        LauncherProcess.S3_SECRET_KEY, 8);
                CompletedFacts facts = new CompletedFacts(launcher.kafkaBootstrapServers());
                WorkRecords writer = new WorkRecords(launcher.kafkaBootstrapServers())) {
            int warmUpJobs = warmUpProcessor(s3, facts, writer);
            List<JobAccepted> small = WorkRecords.jobs(warmUpJobs, options.holJobs(), options.document());
            WorkRecords.store(s3, small);
            JobAccepted slow = WorkRecords.stored(s3, "catalogue.pdf", CataloguePdf.CONTENT_TYPE, catalogue);
            idle = smallJobsInOnePartition(facts, writer, small);
            CpuWindow window = CpuWindow.open(launcher.handle());
            slowQueuedAt = System.nanoTime();
            writer.acceptInPartition(List.of(slow), 1, HEAD_OF_LINE_PARTITION);
            behind = smallJobsInOnePartition(facts, writer, small);
            slowEnd = facts.awaitEnded(slow.jobId(), SLOW_JOB_TIMEOUT);
            cpu = window.close();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("partition", HEAD_OF_LINE_PARTITION);
        details.put("slowJobPages", options.slowPages());
        details.put("slowJobBytes", catalogue.length);
        details.put("slowJobEnded", slowEnd.completed() ? "completed" : "failed");
        details.put("slowJobSeconds", BenchReport.round((slowEnd.at() - slowQueuedAt) / 1e9));
        // The figure means something only if the slow job was still running when the last small one completed.
        details.put("slowJobRunningThroughout", slowEnd.at() > behind.drained().lastCompletion());
        details.put("idle", idle.paced());
        StageResult.Paced paced = behind.paced();
        details.put("p99BehindOverIdle", BenchReport.round(paced.latency().p99Millis()
                / Math.max(1, idle.paced().latency().p99Millis())));
        double seconds = (behind.drained().lastCompletion() - slowQueuedAt) / 1e9;
        return StageResult.of("head-of-line", "jobs", paced.jobs() - paced.notCompleted(), seconds, paced, cpu,
                details("head-of-line", cpu, details),
                hotspots("head-of-line", "stream threads and job pools (*StreamThread*, spool-jobs-*)",
                        PipelineThroughputBench::processorThread, cpu),
                cpuProfile("head-of-line", cpu));
    }

    /** The small jobs, on new job ids each time, one per transaction at {@code --hol-rate}, into one partition. */
    private HeadOfLineRun smallJobsInOnePartition(CompletedFacts facts, WorkRecords writer, List<JobAccepted> documents)
            throws Exception {
        OpenLoop.Sent<AcceptedJob> sent = OpenLoop.run(documents.size(), options.holRate(), number -> {
            JobAccepted job = WorkRecords.sameDocument(documents.get(number));
            long at = System.nanoTime();
            try {
                writer.acceptInPartition(List.of(job), 1, HEAD_OF_LINE_PARTITION);
                return CompletableFuture.completedFuture(new AcceptedJob(job.jobId(), at));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }, SEND_TIMEOUT);
        CompletedFacts.Drained drained = facts.drain(sent.results(), SEND_TIMEOUT);
        return new HeadOfLineRun(new StageResult.Paced(options.holRate(), BenchReport.round(sent.sentPerSecond()),
                documents.size(), drained.notCompleted(), LatencySummary.of(drained.latenciesMillis()),
                "completed fact (read committed)"), drained);
    }

    /** One run of small jobs: its figures, and when its last job completed. */
    private record HeadOfLineRun(StageResult.Paced paced, CompletedFacts.Drained drained) {
    }

    /**
     * The projection alone: {@code --projection-events} facts and signals queued at once, until the durable writer's
     * group and then the live writer's group have committed past every one (each commits a batch only once it is
     * written); the completed views on {@code spool.job-state} are counted afterwards as a check.
     */
    private StageResult projection() throws Exception {
        int jobCount = Math.max(1, options.projectionEvents() / ProjectionEvents.PER_JOB);
        long events = (long) jobCount * ProjectionEvents.PER_JOB;
        CpuWindow.Usage cpu;
        double durableSeconds;
        double seconds;
        long completedViews;
        try (LauncherProcess launcher = start("projection", "projection", List.of());
                JobStateTopic state = new JobStateTopic(launcher.kafkaBootstrapServers())) {
            ProjectionEvents.write(launcher.kafkaBootstrapServers(), WorkRecords.jobs(0, options.warmUp()), 500);
            awaitProjection(state);
            List<JobAccepted> jobs = WorkRecords.jobs(options.warmUp(), jobCount);
            CpuWindow window = CpuWindow.open(launcher.handle());
            long start = System.nanoTime();
            ProjectionEvents.write(launcher.kafkaBootstrapServers(), jobs, 500);
            long deadline = start + Duration.ofSeconds(Math.max(300, events / 10)).toNanos();
            while (!state.through(DURABLE_GROUP) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            durableSeconds = (System.nanoTime() - start) / 1e9;
            while (!state.through(LIVE_GROUP) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            seconds = (System.nanoTime() - start) / 1e9;
            cpu = window.close();
            completedViews = state.completedViews(Duration.ofMinutes(1));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("jobs", jobCount);
        details.put("warmUpJobs", options.warmUp());
        details.put("durableWriterSeconds", BenchReport.round(durableSeconds));
        details.put("completedViewsOnJobState", completedViews);
        return StageResult.of("projection", "events", events, seconds, null, cpu, details("projection", cpu, details),
                hotspots("projection", "listener container threads (*-C-*)", name -> name.contains("-C-"), cpu),
                cpuProfile("projection", cpu));
    }

    /**
     * Ingest alone (no processor, no projection): uploads from {@code --users} users offered at {@code --ingest-rate}
     * per second, each counted when answered 202, that is once its file is in S3 and its job committed to Kafka.
     */
    private StageResult ingest() throws Exception {
        int count = options.ingestRate() * options.ingestSeconds();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> tokens = tokens();
        CpuWindow.Usage cpu;
        OpenLoop.Sent<AcceptedJob> sent;
        TextUploads uploads;
        try (LauncherProcess launcher = start("ingest", "ingest", List.of("-Dspool.ratelimit.enabled=false"))) {
            uploads = new TextUploads(http, launcher.baseUrl(), tokens, json, options.document());
            OpenLoop.run(options.warmUp(), WARM_UP_RATE, uploads::send, SEND_TIMEOUT);
            CpuWindow window = CpuWindow.open(launcher.handle());
            sent = OpenLoop.run(count, options.ingestRate(), number -> uploads.send(options.warmUp() + number),
                    SEND_TIMEOUT);
            cpu = window.close();
        }
        long lastAccepted = sent.results().stream().mapToLong(AcceptedJob::acceptedAt).max().orElse(sent.endedAt());
        double seconds = (lastAccepted - sent.startedAt()) / 1e9;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offeredPerSecond", options.ingestRate());
        details.put("uploads", count);
        details.put("refused", uploads.refused());
        details.put("users", options.users());
        return StageResult.of("ingest", "uploads", sent.results().size(), seconds, null, cpu, details("ingest", cpu, details),
                hotspots("ingest", "ingest's HTTP and publisher threads",
                        name -> name.startsWith("reactor-http") || name.startsWith("job-publisher"), cpu),
                cpuProfile("ingest", cpu));
    }

    private List<String> tokens() {
        Instant now = Instant.now();
        return IntStream.range(0, options.users())
                .mapToObj(user -> BenchToken.mint(JWT_SECRET, json, now, "user-" + user, "standard")).toList();
    }

    /**
     * The whole pipeline over HTTP: uploads from {@code --users} users offered at {@code --e2e-rate} per second, then
     * a paced run at half the completions per second found, each job from its 202 to a GET that says completed.
     */
    private StageResult endToEnd() throws Exception {
        int count = options.e2eRate() * options.e2eSeconds();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> tokens = tokens();
        CpuWindow.Usage cpu;
        CompletedFacts.Drained drained;
        OpenLoop.Sent<AcceptedJob> sent;
        TextUploads uploads;
        StageResult.Paced paced;
        double catchUpSeconds;
        long feedNotFound;
        Map<String, Object> pacedDetails = new LinkedHashMap<>();
        try (LauncherProcess launcher = start("e2e", "ingest,processor,projection", List.of("-Dspool.ratelimit.enabled=false"));
                CompletedFacts facts = new CompletedFacts(launcher.kafkaBootstrapServers());
                StatusPolls polls = new StatusPolls(http, launcher.baseUrl(), json);
                JobStateTopic state = new JobStateTopic(launcher.kafkaBootstrapServers());
                FeedCompletions feeds = new FeedCompletions(launcher.baseUrl())) {
            uploads = new TextUploads(http, launcher.baseUrl(), tokens, json, options.document());
            TextUploads warmUploads = uploads;
            // The warm-up follows its jobs as the paced run will, so that the feeds' code is compiled by then too.
            OpenLoop.run(options.warmUp(), WARM_UP_RATE, number -> warmUploads.send(number).thenCompose(job ->
                    job == null ? CompletableFuture.completedFuture(null)
                            : feeds.completed(job.jobId(), warmUploads.token(number), POLL_TIMEOUT)
                                    .exceptionally(notCompleted -> null)), SEND_TIMEOUT);
            awaitProjection(state);
            long warmUpNotFound = feeds.notFoundAnswers();
            CpuWindow window = CpuWindow.open(launcher.handle());
            sent = OpenLoop.run(count, options.e2eRate(), number -> uploads.send(options.warmUp() + number),
                    SEND_TIMEOUT);
            drained = facts.drain(sent.results(), Duration.ofSeconds(180 + count / 10));
            cpu = window.close();
            double perSecond = drained.latenciesMillis().size() / ((drained.lastCompletion() - sent.startedAt()) / 1e9);
            catchUpSeconds = awaitProjection(state);
            paced = pacedUploads(uploads, feeds, polls, facts, pacedDetails, options.warmUp() + count, perSecond / 2);
            feedNotFound = feeds.notFoundAnswers() - warmUpNotFound;
        }
        double seconds = (drained.lastCompletion() - sent.startedAt()) / 1e9;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offeredPerSecond", options.e2eRate());
        details.put("sentPerSecond", BenchReport.round(sent.sentPerSecond()));
        details.put("uploads", count);
        details.put("refused", uploads.refused());
        details.put("notCompleted", drained.notCompleted());
        details.put("users", options.users());
        details.put("projectionCatchUpSecondsAfterDrain", catchUpSeconds);
        // A job's view is written by the projection after its 202; until then its feed and status answer 404.
        details.put("pacedFeedNotFoundAnswers", feedNotFound);
        details.putAll(pacedDetails);
        return StageResult.of("e2e", "jobs", drained.latenciesMillis().size(), seconds, paced, cpu, details("e2e", cpu, details),
                hotspots("e2e", "ingest's HTTP and publisher threads, stream threads, listener threads",
                        name -> name.startsWith("reactor-http") || name.startsWith("job-publisher")
                                || processorThread(name) || name.contains("-C-"), cpu),
                cpuProfile("e2e", cpu));
    }

    /**
     * Waits until both projection groups have read every event, so that the paced run's status reads do not wait
     * behind the views of the saturation run; bounded by {@link #CATCH_UP}.
     */
    private static double awaitProjection(JobStateTopic state) throws Exception {
        long start = System.nanoTime();
        long deadline = start + CATCH_UP.toNanos();
        while (!(state.through(DURABLE_GROUP) && state.through(LIVE_GROUP)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return BenchReport.round((System.nanoTime() - start) / 1e9);
    }

    /**
     * Uploads at {@code perSecond}, each followed on its live feed from its 202 to its {@code completed} event, and
     * then read once with {@code GET /api/v1/jobs/{id}}, which must say completed as well (the feed entry and the view
     * it is read from are written together); a job whose read does not counts as not completed.
     */
    private StageResult.Paced pacedUploads(TextUploads uploads, FeedCompletions feeds, StatusPolls polls,
            CompletedFacts facts, Map<String, Object> details, int firstNumber, double perSecond) throws Exception {
        int count = (int) Math.max(1, perSecond * options.paceSeconds());
        feeds.takeTimelines();
        List<AcceptedJob> accepted = new CopyOnWriteArrayList<>();
        OpenLoop.Sent<Double> sent = OpenLoop.run(count, perSecond, number -> {
            String token = uploads.token(firstNumber + number);
            return uploads.send(firstNumber + number).thenCompose(job -> {
                if (job == null) {
                    return CompletableFuture.completedFuture(null);
                }
                accepted.add(job);
                return feeds.completed(job.jobId(), token, POLL_TIMEOUT)
                        .thenCompose(at -> polls.saysCompleted(job.jobId(), token)
                                .thenApply(visible -> visible ? (at - job.acceptedAt()) / 1e6 : null))
                        .exceptionally(notCompleted -> null);
            });
        }, SEND_TIMEOUT);
        // Where the time goes: from the 202 to the processor's fact, the rest is the projection's and the feed's.
        details.put("pacedToCompletedFact", LatencySummary.of(facts.drain(accepted, SEND_TIMEOUT).latenciesMillis()));
        // And after the fact: from the processor's end of the job to the feed entry in Redis (the fact's transaction
        // and the projection's live writer), and from that entry to the client (the feed's wake-up, read and push).
        List<FeedCompletions.Timeline> timelines = feeds.takeTimelines();
        details.put("pacedFinishedToFeedEntry", LatencySummary.of(timelines.stream()
                .map(timeline -> (double) (timeline.appended() - timeline.finished())).toList()));
        details.put("pacedFeedEntryToClient", LatencySummary.of(timelines.stream()
                .map(timeline -> (double) (timeline.arrived() - timeline.appended())).toList()));
        return new StageResult.Paced(BenchReport.round(perSecond), BenchReport.round(sent.sentPerSecond()), count,
                count - sent.results().size(), LatencySummary.of(sent.results()),
                "the completed event on the job's live feed, opened at the 202 (then one GET /api/v1/jobs/{id} must say"
                        + " completed too)");
    }

    /** A launcher for one stage, in a data folder of its own, recording where its time goes from its start. */
    private LauncherProcess start(String stage, String services, List<String> jvmOptions) throws Exception {
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(this.options.launcherOptions());
        options.add("-XX:StartFlightRecording=filename=" + recording(stage) + ",settings=profile,dumponexit=true");
        if (this.options.asyncProfiler() != null) {
            options.add("-agentpath:" + AsyncProfilerAgent.resolve(this.options.asyncProfiler(), work) + "=start,event=cpu,interval="
                    + PROFILER_INTERVAL + ",file=" + cpuRecording(stage) + ",jfr");
        }
        Path folder = Files.createDirectories(work.resolve(stage));
        LauncherProcess launcher = LauncherProcess.start(this.options.launcherJar(), null, folder.resolve("data"),
                JWT_SECRET, services, options);
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "bench-stop-launcher"));
        launcher.awaitReady(HttpClient.newHttpClient());
        return launcher;
    }

    private Path recording(String stage) {
        return work.resolve(stage + ".jfr").toAbsolutePath();
    }

    private Path cpuRecording(String stage) {
        return work.resolve(stage + "-cpu.jfr").toAbsolutePath();
    }

    private CpuProfile cpuProfile(String stage, CpuWindow.Usage cpu) throws Exception {
        return CpuProfile.of(cpuRecording(stage), cpu.from(), cpu.to());
    }

    private JfrHotspots hotspots(String stage, String threads, Predicate<String> thread, CpuWindow.Usage cpu)
            throws Exception {
        return JfrHotspots.of(recording(stage), threads, thread, cpu.from(), cpu.to());
    }

    /**
     * The stage's own figures; the launcher's heap in the measured window, from its collector's summaries; and the
     * machine's load average as the stage ended: the cores are shared, and a figure measured beside someone else's
     * build reads differently.
     */
    private Map<String, Object> details(String stage, CpuWindow.Usage cpu, Map<String, Object> figures)
            throws IOException {
        Map<String, Object> details = new LinkedHashMap<>(figures);
        details.put("launcherHeap", JfrHeap.of(recording(stage), cpu.from(), cpu.to()));
        details.put("loadAverageAtEnd", BenchReport.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return details;
    }

    private static List<AcceptedJob> accepted(List<JobAccepted> jobs, long at) {
        return jobs.stream().map(job -> new AcceptedJob(job.jobId(), at)).toList();
    }

    private static void print(PrintStream out, String date, List<StageResult> stages) {
        out.printf(Locale.ROOT, "%nSpool pipeline throughput, 10 KB text documents, %s%n", date);
        String format = "%-10s | %-18s | %-11s | %-24s | %-14s | %-14s | %-8s%n";
        out.printf(Locale.ROOT, format, "stage", "saturation", "/ reference", "half load: /s, p50, p99 ms",
                "launcher CPU ms", "bench CPU ms", "cores");
        out.println("-".repeat(120));
        for (StageResult stage : stages) {
            String unit = stage.unit().substring(0, stage.unit().length() - 1);
            StageResult.Paced paced = stage.paced();
            out.printf(Locale.ROOT, format, stage.stage(), stage.perSecond() + " " + stage.unit() + "/s",
                    stage.ratioToReference() == null ? "-" : stage.ratioToReference(),
                    paced == null ? "-" : paced.sentPerSecond() + ", " + paced.latency().p50Millis() + ", "
                            + paced.latency().p99Millis(),
                    stage.launcherCpuMillisPerUnit() + " /" + unit, stage.benchCpuMillisPerUnit() + " /" + unit,
                    stage.launcherCores());
        }
        for (StageResult stage : stages) {
            stage.hotspots().print(out, stage.stage(), Duration.ofMillis((long) (stage.seconds() * 1000)));
            if (stage.cpuProfile() != null) {
                stage.cpuProfile().print(out, stage.stage(), stage.launcherCpuMillisPerUnit(),
                        stage.unit().substring(0, stage.unit().length() - 1));
            }
        }
    }

    /** The processor's own threads: the stream threads that read and write, and the tiers' job pools that work. */
    private static boolean processorThread(String name) {
        return name.contains("StreamThread") || name.startsWith("spool-jobs-");
    }
}
