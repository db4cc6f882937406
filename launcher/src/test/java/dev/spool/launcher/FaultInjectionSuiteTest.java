package dev.spool.launcher;

import static org.assertj.core.api.InstanceOfAssertFactories.DOUBLE;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraSettings;
import dev.spool.launcher.LauncherSettings.Service;
import dev.spool.launcher.faults.EventLog;
import dev.spool.launcher.faults.Fault;
import dev.spool.launcher.faults.FaultScript;
import dev.spool.launcher.faults.LoadGenerator;
import dev.spool.launcher.faults.PipelineAudit;
import dev.spool.launcher.faults.RecoveryProbe;
import dev.spool.launcher.faults.SampleUpload;
import dev.spool.launcher.faults.SuiteFigures;
import dev.spool.launcher.faults.SuiteServers;
import dev.spool.launcher.faults.Uploader;
import dev.spool.launcher.faults.ViewStores;
import dev.spool.launcher.jvm.ServiceJvm;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.topic.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 10's proof under stress: thousands of mixed documents uploaded through ingest's HTTP API while S3 fails and
 * stalls, the broker restarts, the processor is killed mid-job and Redis and MongoDB go down, one after another.
 * Then every accepted job must have ended exactly once, with one text, views equal to the fold of its events, and
 * nothing left in S3 by refused uploads. Size: {@code -Dspool.faults.jobs} (default 2,000).
 *
 * <p>The servers are the suite's own, on fixed ports, because it stops and starts them; the processor runs in a JVM
 * of its own so that it can be killed; ingest and the projection run in this JVM, wired as the launcher wires them.
 */
@Tag("fault-injection")
class FaultInjectionSuiteTest {

    private static final int JOBS = Integer.getInteger("spool.faults.jobs", 2000);
    private static final int UPLOADERS = 4;
    private static final int WARM_UP_JOBS = 20;
    private static final Duration FAULT_PERIOD = Duration.ofSeconds(4);
    private static final Duration S3_STALL = Duration.ofSeconds(3);
    private static final int BACKLOG_JOBS = 300;
    private static final int IN_FLIGHT_AT_FAULT = 200;
    private static final String SECRET = "fault-injection-secret-of-at-least-32-bytes";
    private static final Path OUTPUT = Path.of("target", "fault-injection");
    private static final String STANDBY_INSTANCE = "spool-standby";
    private static final String TAKEOVER = "processor SIGKILL, a second instance takes over";
    /** Issue 20's bound: the group notices the silent instance after the 6 s session timeout, then reassigns. */
    private static final Duration TAKEOVER_WITHIN = Duration.ofSeconds(10);
    private static final Duration STABLE_FOR = Duration.ofSeconds(5);

    @TempDir
    static Path dataDir;

    private static long startedAt;
    private static SuiteServers servers;
    /** The processor instance the faults kill: the first one, then the second once it took the first one's place. */
    private static ServiceJvm processor;
    private static ServiceJvm first;
    private static ServiceJvm standby;
    private static ServiceContexts services;
    private static EventLog events;
    private static ViewStores views;
    private static S3Client s3;
    private static LoadGenerator load;
    /** The tier partitions the first processor instance held when it was killed beside the second. */
    private static volatile Set<TopicPartition> heldByKilled = Set.of();

    @BeforeAll
    static void startPipeline() {
        startedAt = System.nanoTime();
        servers = SuiteServers.start(dataDir);
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.of(Service.INGEST, Service.PROJECTION));
        Map<String, Object> shared = SpoolLauncher.serviceProperties(settings, servers);
        first = ServiceJvm.processor("processor", processorProperties(shared), -1, OUTPUT, dataDir);
        first.start();
        processor = first;
        Map<String, Object> second = new HashMap<>(processorProperties(shared));
        second.put("spool.processor.state-dir", dataDir.resolve("streams-standby").toString());
        second.put("spool.processor.instance-id", STANDBY_INSTANCE);
        standby = ServiceJvm.processor("standby", second, -1, OUTPUT, dataDir.resolve("standby"));
        Map<String, Object> inProcess = new HashMap<>(shared);
        // This JVM's logs go to a file, so that the build log shows the figures rather than thousands of job lines.
        inProcess.put("logging.config", "classpath:logback-fault-injection.xml");
        services = ServiceContexts.start(inProcess, 0, settings.services(), Map.of(Service.INGEST, ingestProperties()));
        // The processor creates the progress topic once it is up.
        events = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> EventLog.start(servers.kafkaBootstrapServers()), log -> log != null);
        views = new ViewStores(servers.mongoUri(), servers.redisHost(), servers.redisPort());
        s3 = S3Client.builder()
                .endpointOverride(URI.create(servers.directS3Endpoint()))
                .region(Region.of(servers.s3Region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(servers.s3AccessKey(), servers.s3SecretKey())))
                .build();
    }

    /**
     * Breakers try again after 2 s rather than 15 s, in keeping with fault periods of a few seconds; job pools large
     * enough that hundreds of attempts run at once when a backlog is read.
     */
    private static Map<String, Object> processorProperties(Map<String, Object> shared) {
        Map<String, Object> properties = new HashMap<>(shared);
        for (String tier : List.of("high", "normal", "low")) {
            properties.put("spool.processor.capacity." + tier + ".jobs", "128");
        }
        properties.put("spool.processor.storage-breaker.wait-in-open", "2s");
        properties.put("logging.level.root", "WARN");
        return properties;
    }

    /**
     * Rate limits high enough for the run's pace, low enough that bursts after a fault meet them; the S3 breaker's
     * wait is the {@code Retry-After} of its refusals.
     */
    private static Map<String, Object> ingestProperties() {
        return Map.of(
                "spool.resilience.breaker.wait-in-open", "2s",
                "spool.ratelimit.per-user.capacity", 40,
                "spool.ratelimit.per-user.refill-tokens", 8,
                "spool.ratelimit.per-user.refill-period", "1s",
                "spool.ratelimit.per-ip.capacity", 200,
                "spool.ratelimit.per-ip.refill-tokens", 40,
                "spool.ratelimit.per-ip.refill-period", "1s");
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (AutoCloseable part : new AutoCloseable[] {
            load == null ? null : load::stop, events, views, s3, services, first == null ? null : first::stop,
            standby == null ? null : standby::stop, servers}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void everyAcceptedJobEndsExactlyOnceWithItsViewsWhileFaultsPlay() throws Exception {
        load = new LoadGenerator("http://127.0.0.1:" + services.ingestPort(), uploaders(), corpus(), JOBS, UPLOADERS);
        load.start();
        await().atMost(Duration.ofMinutes(3)).until(() -> events.completedCount() >= WARM_UP_JOBS);

        List<SuiteFigures.FaultFigure> faults = new FaultScript(faults(), new RecoveryProbe(events, views)).play();
        load.release();
        boolean uploadsFinished = load.awaitFinished(Duration.ofMinutes(5));

        PipelineAudit audit = new PipelineAudit(ids(load.accepted()), events, views, s3);
        awaitQuietly(() -> audit.notTerminal().isEmpty(), Duration.ofMinutes(5));
        awaitQuietly(events::caughtUp, Duration.ofMinutes(1));
        // The projection's two writers fold at their own pace; compare the views once both have read everything.
        awaitQuietly(() -> events.consumedBy("spool-projection") && events.consumedBy("spool-projection-live"),
                Duration.ofMinutes(4));
        SuiteFigures figures = figures(audit, faults);
        print(figures);
        figures.write(OUTPUT.resolve("figures.json"));

        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(uploadsFinished).as("the uploaders reached the target").isTrue();
            softly.assertThat(load.acceptedCount()).as("accepted jobs").isGreaterThanOrEqualTo(JOBS);
            softly.assertThat(load.unexpected()).as("answers other than 202, 429, 503 and 409").isEmpty();
            softly.assertThat(audit.notTerminal()).as("accepted jobs that never ended (lost)").isEmpty();
            softly.assertThat(audit.unknownJobs()).as("jobs of uploads that were not answered 202").isEmpty();
            softly.assertThat(audit.completionsNotOnce()).as("completed jobs without exactly one completed fact")
                    .isEmpty();
            softly.assertThat(audit.textsNotOnce()).as("completed jobs without exactly one text object").isEmpty();
            Map<String, String> rewritten = audit.textWritesBeyondRuns(servers.s3Faults().objectWrites(),
                    Stream.of(first.kills(), standby.kills(), servers.kafkaStops()).flatMap(List::stream).toList());
            softly.assertThat(rewritten.keySet()).as("completed jobs whose text was written more often than they ran,"
                    + " or never, e.g. %s", firstOf(rewritten)).isEmpty();
            softly.assertThat(audit.textsWithoutCompletion()).as("text objects of jobs that did not complete")
                    .isEmpty();
            Map<String, String> mongo = audit.mongoViewsNotFolded();
            softly.assertThat(mongo.keySet()).as("MongoDB views unlike the fold of their events, e.g. %s",
                    firstOf(mongo)).isEmpty();
            Map<String, String> redis = audit.redisViewsNotFolded();
            softly.assertThat(redis.keySet()).as("Redis views unlike the fold of their events, e.g. %s",
                    firstOf(redis)).isEmpty();
            softly.assertThat(audit.orphanUploads()).as("uploaded objects that belong to no accepted job").isEmpty();
            softly.assertThat(audit.openMultipartUploads()).as("multipart uploads left open").isEmpty();
            softly.assertThat(faults).filteredOn(fault -> fault.fault().equals(TAKEOVER))
                    .as("seconds from the kill of a processor beside a second instance to a job completed in both views")
                    .singleElement().extracting(SuiteFigures.FaultFigure::recoverySeconds, DOUBLE)
                    .isLessThanOrEqualTo(TAKEOVER_WITHIN.toMillis() / 1000.0);
            softly.assertThat(figures.completed() + figures.failed() + figures.deadLettered())
                    .as("jobs ended").isEqualTo(figures.jobsAccepted());
            // Every document is sound and every fault lasts seconds: a fault may delay a job, never dead-letter it.
            softly.assertThat(figures.deadLettered()).as("jobs dead-lettered by faults of a few seconds").isZero();
        });
    }

    /** Played in this order, each under load, each followed by the time the pipeline takes to complete jobs again. */
    private static List<Fault> faults() {
        return List.of(
                // First, while the backlog is small: the first instance stays down, and the second one is the
                // processor of the faults that follow. Held for no time, so that its recovery counts from the kill.
                new Fault(TAKEOVER, Duration.ZERO, FaultInjectionSuiteTest::killProcessorBesideAStandby, () -> { },
                        FaultInjectionSuiteTest::ranOnTheKilledInstance),
                new Fault("S3 errors (503)", FAULT_PERIOD, () -> servers.s3Faults().failAll(503),
                        () -> servers.s3Faults().passThrough()),
                new Fault("S3 stalls", FAULT_PERIOD, () -> servers.s3Faults().stallAll(S3_STALL),
                        () -> servers.s3Faults().passThrough()),
                new Fault("Kafka broker restart", FAULT_PERIOD, servers::stopKafka, servers::startKafka),
                new Fault("processor SIGKILL", FAULT_PERIOD, FaultInjectionSuiteTest::killProcessorMidJob,
                        () -> processor.start()),
                new Fault("processor SIGKILL with hundreds of jobs in flight", FAULT_PERIOD,
                        () -> {
                            fillProcessorWithBacklog();
                            processor.kill();
                        }, () -> processor.start()),
                new Fault("Kafka broker restart with hundreds of jobs in flight", FAULT_PERIOD,
                        () -> {
                            fillProcessorWithBacklog();
                            servers.stopKafka();
                        }, servers::startKafka),
                new Fault("Redis down", FAULT_PERIOD, servers::stopRedis, servers::startRedis),
                new Fault("MongoDB down", FAULT_PERIOD, servers::stopMongo, servers::startMongo));
    }

    /**
     * Starts a second processor instance, waits until it is a member of every tier's group, then kills the first one
     * mid-job and leaves it down: its tasks, and the jobs it had in flight, move to the second, which the later
     * faults kill and restart.
     *
     * <p>The second instance starts while no upload comes in and the first has worked off its backlog, as a peer
     * deployed beside a running one would: on two cores that a saturated processor keeps busy, a JVM took minutes
     * to start, and its start is not what this fault measures.
     */
    private static void killProcessorBesideAStandby() {
        load.pause();
        awaitQuietly(() -> load.accepted().stream().allMatch(job -> events.isTerminal(job.jobId())),
                Duration.ofMinutes(2));
        standby.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrapServers()))) {
            List<String> groups = Stream.of(Priority.values()).map(tier -> "spool-processor-" + tier.wireName()).toList();
            try {
                // Stable for a while: the join's follow-up rebalances (standby tasks, then warm-ups) are over, as
                // they are long over for a peer that runs beside another.
                await().atMost(Duration.ofMinutes(3)).during(STABLE_FOR).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(() -> admin.describeConsumerGroups(groups).all().get().values().stream()
                                .allMatch(group -> group.groupState() == GroupState.STABLE && group.members().stream()
                                        .anyMatch(member -> member.groupInstanceId().orElse("")
                                                .startsWith(STANDBY_INSTANCE))));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the second processor did not become a member of every tier's stable group;"
                        + " the groups: " + describe(admin, groups) + "; its log: " + standby.logFile(), e);
            }
            load.resume();
            heldByKilled = partitionsOfTheFirst(admin, groups);
            if (heldByKilled.isEmpty()) {
                throw new AssertionError("the first processor holds no partition beside the second: " + describe(admin,
                        groups));
            }
        }
        killProcessorMidJob();
        processor = standby;
    }

    /**
     * The tier partitions the first instance holds: the jobs read from them were its work, and the takeover is over
     * once one of them is completed by the second instance, whatever the second instance completes of its own.
     */
    private static Set<TopicPartition> partitionsOfTheFirst(Admin admin, List<String> groups) {
        return groups(admin, groups).stream()
                .flatMap(group -> group.members().stream())
                .filter(member -> !member.groupInstanceId().orElse("").startsWith(STANDBY_INSTANCE))
                .flatMap(member -> member.assignment().topicPartitions().stream())
                .collect(Collectors.toSet());
    }

    private static Collection<ConsumerGroupDescription> groups(Admin admin, List<String> groups) {
        try {
            return admin.describeConsumerGroups(groups).all().get(10, TimeUnit.SECONDS).values();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + groups, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + groups, e);
        }
    }

    /** Whether the job was read from a tier partition that the killed instance held. */
    private static boolean ranOnTheKilledInstance(String jobId) {
        return events.tier(jobId).map(Topics::jobs)
                .map(topic -> new TopicPartition(topic.name(), Utils.toPositive(
                        Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % topic.spec().partitions()))
                .filter(heldByKilled::contains)
                .isPresent();
    }

    private static String describe(Admin admin, List<String> groups) {
        try {
            return groups(admin, groups).stream()
                    .map(group -> group.groupId() + " " + group.groupState() + " members " + group.members().stream()
                            .map(member -> member.groupInstanceId().orElse(member.consumerId()) + "="
                                    + member.assignment().topicPartitions().size() + " partitions")
                            .toList())
                    .toList().toString();
        } catch (IllegalStateException e) {
            return "not described (" + e.getCause() + ")";
        }
    }

    /** Kills the processor right after a job started, so that the job is cut off in the middle. */
    private static void killProcessorMidJob() {
        Instant now = Instant.now();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> events.startedAfter(now));
        processor.kill();
    }

    /**
     * Lets a backlog of uploads build while the processor is down, then starts it and waits until it has hundreds of attempts
     * running at once (its job pools are sized for that), so that the fault that follows cuts them all off.
     */
    private static void fillProcessorWithBacklog() {
        processor.kill();
        int acceptedBefore = load.acceptedCount();
        await().atMost(Duration.ofMinutes(2)).until(() -> load.acceptedCount() - acceptedBefore >= BACKLOG_JOBS);
        Instant restarted = Instant.now();
        processor.start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> events.runningSince(restarted) >= IN_FLIGHT_AT_FAULT);
    }

    /** Two users per tier: premium (high), standard (normal), and standard asking for low. */
    private static List<Uploader> uploaders() {
        DemoTokens tokens = new DemoTokens(SECRET);
        List<Uploader> uploaders = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            uploaders.add(uploader(tokens, "premium-" + i, "premium", null));
            uploaders.add(uploader(tokens, "standard-" + i, "standard", null));
            uploaders.add(uploader(tokens, "bulk-" + i, "standard", "low"));
        }
        return uploaders;
    }

    private static Uploader uploader(DemoTokens tokens, String user, String tier, String priority) {
        return new Uploader(user, tokens.mint(user, tier, List.of(), Instant.now()), priority);
    }

    /** Small documents of every family Spool extracts: plain text, CSV, Markdown, HTML, PDF and DOCX. */
    private static List<SampleUpload> corpus() {
        List<SampleUpload> corpus = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String phrase = "Fault suite document " + i + " about herons, marmalade and quarterly figures.";
            corpus.add(text("notes-" + i + ".txt", "text/plain", phrase + "\nSecond line of plain notes.\n"));
            corpus.add(text("table-" + i + ".csv", "text/csv", "item,count\nheron," + i + "\nmarmalade," + (i * 7) + "\n"));
            corpus.add(text("readme-" + i + ".md", "text/markdown", "# Readme " + i + "\n\n" + phrase + "\n"));
            corpus.add(text("page-" + i + ".html", "text/html",
                    "<!DOCTYPE html><html><head><title>Page " + i + "</title></head><body><p>" + phrase
                            + "</p></body></html>"));
            corpus.add(new SampleUpload("report-" + i + ".pdf", "application/pdf",
                    SampleDocuments.pdf(phrase, "Page two of report " + i)));
            corpus.add(new SampleUpload("minutes-" + i + ".docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    SampleDocuments.docx(phrase)));
        }
        return corpus;
    }

    private static SampleUpload text(String filename, String type, String content) {
        return new SampleUpload(filename, type, content.getBytes(StandardCharsets.UTF_8));
    }

    private static SuiteFigures figures(PipelineAudit audit, List<SuiteFigures.FaultFigure> faults) {
        PipelineAudit.Outcomes outcomes = audit.outcomes();
        return new SuiteFigures(JOBS, load.acceptedCount(), faults.size(), load.requests(), load.refusals(),
                load.transportErrors(), load.replays(), outcomes.retryScheduledFacts(), outcomes.jobsRetried(),
                outcomes.completed(), outcomes.failed(), outcomes.deadLettered(), audit.notTerminal().size(), faults,
                Math.round((System.nanoTime() - startedAt) / 100_000_000.0) / 10.0);
    }

    /** The figures are for the person reading the build log, hence standard output. */
    @SuppressWarnings("checkstyle:regexp")
    private static void print(SuiteFigures figures) {
        figures.print(System.out);
    }

    /** Waits for {@code condition} up to {@code timeout}; the assertions that follow say what did not happen. */
    private static void awaitQuietly(Callable<Boolean> condition, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException ignored) {
            // the assertions after the figures say what did not happen
        }
    }

    private static String firstOf(Map<String, String> differences) {
        return differences.entrySet().stream().limit(2).map(entry -> entry.getKey() + ":\n  " + entry.getValue())
                .toList().toString();
    }

    private static Collection<String> ids(List<LoadGenerator.AcceptedJob> jobs) {
        return jobs.stream().map(LoadGenerator.AcceptedJob::jobId).toList();
    }
}
