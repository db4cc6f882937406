package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraSettings;
import dev.spool.infra.net.FreePorts;
import dev.spool.ingest.IngestApplication;
import dev.spool.launcher.LauncherSettings.Service;
import dev.spool.launcher.faults.EventLog;
import dev.spool.launcher.faults.LoadGenerator;
import dev.spool.launcher.faults.MultipartBody;
import dev.spool.launcher.faults.SampleUpload;
import dev.spool.launcher.faults.Uploader;
import dev.spool.launcher.faults.ViewStores;
import dev.spool.launcher.faults.ViewWatch;
import dev.spool.launcher.jvm.ServiceJvm;
import dev.spool.projection.ProjectionApplication;
import dev.spool.schemas.event.EventType;
import dev.spool.schemas.view.JobStatus;
import dev.spool.testsupport.SharedInfra;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances of every service, each in a JVM of its own, on one set of servers, as a deployment runs them: jobs
 * spread over both processors, a tus upload begun on one ingest instance is finished on the other, a job accepted by
 * one is readable on the other as soon as its 202 arrives, a feed opened on one follows a job uploaded through the
 * other, the instance that holds a tus upload's lease makes the other refuse
 * it, and with one instance of each kind killed mid-run no accepted job is lost and none completes twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SeveralInstancesTest {

    private static final String SECRET = "several-instances-secret-of-at-least-32-bytes";
    private static final Path LOGS = Path.of("target", "several-instances");
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TUS_VERSION = "1.0.0";
    private static final Logger LOG = LoggerFactory.getLogger(SeveralInstancesTest.class);
    /** Issue 20: after a SIGKILL, the work an instance held resumes within this. */
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<ServiceJvm> JVMS = new ArrayList<>();
    private static ServiceJvm ingestA;
    private static ServiceJvm ingestB;
    private static ServiceJvm processorA;
    private static ServiceJvm processorB;
    private static ServiceJvm projectionA;
    private static ServiceJvm projectionB;
    private static EventLog events;
    private static DemoTokens tokens;
    private static LettuceConnectionFactory redis;

    @BeforeAll
    static void startTwoOfEach() {
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(Service.class));
        Map<String, Object> shared = SpoolLauncher.serviceProperties(settings, SharedInfra.get());
        tokens = new DemoTokens(SECRET);
        ingestA = ingest("ingest-a", shared);
        ingestB = ingest("ingest-b", shared);
        processorA = processor("processor-a", shared);
        processorB = processor("processor-b", shared);
        projectionA = projection("projection-a", shared);
        projectionB = projection("projection-b", shared);
        // The consumers first, as a deployment would roll them out; all six start at once on the two cores.
        Stream.of(projectionA, projectionB, processorA, processorB, ingestA, ingestB).forEach(ServiceJvm::start);
        for (ServiceJvm jvm : JVMS) {
            await("readiness of " + jvm.logFile()).atMost(STARTUP).pollInterval(Duration.ofSeconds(1))
                    .failFast("the JVM exited, see " + jvm.logFile(), () -> !jvm.isAlive())
                    .ignoreExceptions()
                    .until(() -> get(base(jvm) + "/actuator/health/readiness", null).statusCode() == 200);
        }
        events = EventLog.start(SharedInfra.get().kafkaBootstrapServers());
        redis = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(SharedInfra.get().redisHost(), SharedInfra.get().redisPort()));
        redis.afterPropertiesSet();
        redis.start();
    }

    /** Rate limits off: the test's uploads all come from one address, faster than a person's would. */
    private static ServiceJvm ingest(String name, Map<String, Object> shared) {
        Map<String, Object> properties = new HashMap<>(shared);
        properties.put("spool.ratelimit.enabled", false);
        return register(ServiceJvm.of(name, IngestApplication.class, properties, FreePorts.resolve(0), LOGS));
    }

    private static ServiceJvm processor(String name, Map<String, Object> shared) {
        int port = FreePorts.resolve(0);
        Map<String, Object> properties = new HashMap<>(shared);
        properties.putAll(SpoolLauncher.managementServer(Service.PROCESSOR, port));
        properties.put("spool.processor.instance-id", "spool-" + name);
        properties.put("spool.processor.state-dir", dataDir.resolve(name).toString());
        return register(ServiceJvm.processor(name, properties, port, LOGS, dataDir.resolve(name + "-work")));
    }

    private static ServiceJvm projection(String name, Map<String, Object> shared) {
        int port = FreePorts.resolve(0);
        Map<String, Object> properties = new HashMap<>(shared);
        properties.putAll(SpoolLauncher.managementServer(Service.PROJECTION, port));
        return register(ServiceJvm.of(name, ProjectionApplication.class, properties, port, LOGS));
    }

    private static ServiceJvm register(ServiceJvm jvm) {
        JVMS.add(jvm);
        return jvm;
    }

    @AfterAll
    static void stopAll() {
        JVMS.forEach(ServiceJvm::stop);
        if (events != null) {
            events.close();
        }
        if (redis != null) {
            redis.destroy();
        }
    }

    @Test
    @Order(1)
    void jobsSpreadOverBothProcessors() {
        String token = tokens.demoUser(Instant.now());
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ServiceJvm ingest = i % 2 == 0 ? ingestA : ingestB;
            jobs.add(uploadText(ingest, token, "spread-" + i + ".txt", "Spread document " + i + " about herons."));
        }

        for (String jobId : jobs) {
            awaitStatus(ingestA, token, jobId, "completed");
        }
        assertThat(completedBy(processorA)).as("jobs completed by processor A").isPositive();
        assertThat(completedBy(processorB)).as("jobs completed by processor B").isPositive();
    }

    @Test
    @Order(2)
    void aTusUploadBegunOnOneInstanceIsFinishedOnTheOther() {
        String token = tokens.demoUser(Instant.now());
        byte[] content = ("Resumed on the other instance. ".repeat(4_000)).getBytes(StandardCharsets.UTF_8);
        int half = content.length / 2;
        URI upload = createTus(ingestA, token, content.length, "resumed.txt");

        HttpResponse<String> first = patch(upload, token, 0, Arrays.copyOfRange(content, 0, half));
        assertThat(first.statusCode()).isEqualTo(204);
        URI onB = onInstance(upload, ingestB);
        HttpResponse<String> head = send(HttpRequest.newBuilder(onB).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Tus-Resumable", TUS_VERSION).header("Authorization", "Bearer " + token));
        assertThat(head.headers().firstValue("Upload-Offset")).hasValue(Integer.toString(half));
        HttpResponse<String> rest = patch(onB, token, half, Arrays.copyOfRange(content, half, content.length));

        assertThat(rest.statusCode()).isEqualTo(204);
        String jobId = rest.headers().firstValue("Spool-Job-Id").orElseThrow();
        awaitStatus(ingestA, token, jobId, "completed");
        HttpResponse<String> text = get(base(ingestA) + "/api/v1/jobs/" + jobId + "/text", token);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body().strip()).isEqualTo(new String(content, StandardCharsets.UTF_8).strip());
    }

    @Test
    @Order(3)
    void aJobAcceptedThroughOneInstanceIsReadOnTheOtherRightAfterItsAcceptance() {
        String token = tokens.demoUser(Instant.now());
        for (int i = 0; i < 10; i++) {
            String jobId = uploadText(ingestB, token, "read-at-once-" + i + ".txt", "Read at once, number " + i + ".");

            HttpResponse<String> status = get(base(ingestA) + "/api/v1/jobs/" + jobId, token);

            assertThat(status.statusCode()).as("the status of job %s on the other instance", jobId).isEqualTo(200);
            assertThat(JobStatus.fromWireName(JSON.readTree(status.body()).path("status").asString()))
                    .isIn(JobStatus.QUEUED, JobStatus.PROCESSING, JobStatus.COMPLETED);
        }
    }

    @Test
    @Order(4)
    void aFeedOpenedOnOneInstanceFollowsAJobUploadedThroughTheOther() throws Exception {
        String token = tokens.demoUser(Instant.now());
        String jobId = uploadText(ingestB, token, "followed.txt", "Followed from the other instance.");
        // The entry ingest B wrote before its 202; the feed on A goes on from it, however far the job has got.
        String queued = await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .until(() -> feedIds(jobId), ids -> !ids.isEmpty()).get(0);

        HttpResponse<Stream<String>> feed = HTTP.send(HttpRequest.newBuilder(
                        URI.create(base(ingestA) + "/api/v1/jobs/" + jobId + "/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream")
                .header("Last-Event-ID", queued)
                .timeout(Duration.ofMinutes(2)).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(feed.statusCode()).isEqualTo(200);
        List<Map.Entry<String, String>> entries = CompletableFuture.supplyAsync(() -> sseEntries(feed.body()))
                .get(2, TimeUnit.MINUTES);

        assertThat(entries).last().extracting(Map.Entry::getValue).isEqualTo("completed");
        List<String> rest = feedIds(jobId);
        assertThat(entries).extracting(Map.Entry::getKey).as("every entry of the job's feed after the queued one")
                .containsExactlyElementsOf(rest.subList(1, rest.size()));
    }

    /** The stream's events as (id, event name), heartbeats left out, until the server ends it. */
    private static List<Map.Entry<String, String>> sseEntries(Stream<String> lines) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        String[] current = new String[2];
        lines.forEach(line -> {
            if (line.startsWith("id:")) {
                current[0] = line.substring("id:".length()).strip();
            } else if (line.startsWith("event:")) {
                current[1] = line.substring("event:".length()).strip();
            } else if (line.isEmpty()) {
                if (current[1] != null && !"heartbeat".equals(current[1])) {
                    entries.add(Map.entry(String.valueOf(current[0]), current[1]));
                }
                current[0] = null;
                current[1] = null;
            }
        });
        return entries;
    }

    private static List<String> feedIds(String jobId) {
        return JobFeeds.entryIds(redis, jobId);
    }

    @Test
    @Order(5)
    void theInstanceThatHoldsAnUploadMakesTheOtherRefuseIt() throws Exception {
        String token = tokens.demoUser(Instant.now());
        byte[] content = new byte[256 * 1024];
        Arrays.fill(content, (byte) 'x');
        URI upload = createTus(ingestA, token, content.length, "held.txt");
        CountDownLatch sentSome = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> holding = HTTP.sendAsync(tus(upload, token)
                        .header("Upload-Offset", "0")
                        .header("Content-Type", "application/offset+octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new HeldBack(content, sentSome, release)),
                                content.length))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sentSome.await(30, TimeUnit.SECONDS)).isTrue();

        // An empty PATCH changes nothing when it gets through, so it can ask until the holder's lease answers.
        HttpResponse<String> refused = await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> patch(onInstance(upload, ingestB), token, 0, new byte[0]),
                        response -> response.statusCode() == 423);
        release.countDown();

        assertThat(refused.statusCode()).isEqualTo(423);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(refused.body()).path("code").asString()).isEqualTo("upload_locked");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(holding.get(1, TimeUnit.MINUTES).statusCode()).isEqualTo(204);
    }

    @Test
    @Order(6)
    void killingOneInstanceOfEachKindMidRunLosesNoJobAndCompletesNoneTwice() throws Exception {
        List<Uploader> uploaders = new ArrayList<>();
        Map<String, String> tokensByUser = new HashMap<>();
        for (String user : List.of("kill-1", "kill-2", "kill-3", "kill-4")) {
            String token = tokens.mint(user, "standard", List.of(), Instant.now());
            uploaders.add(new Uploader(user, token, null));
            tokensByUser.put(user, token);
        }
        List<SampleUpload> corpus = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            corpus.add(new SampleUpload("kill-" + i + ".txt", "text/plain",
                    ("Uploaded while instances die, document " + i + ".\n").getBytes(StandardCharsets.UTF_8)));
        }
        corpus.add(new SampleUpload("kill.pdf", "application/pdf", SampleDocuments.pdf("Killed mid-run", "Page two")));
        LoadGenerator load = new LoadGenerator(List.of(base(ingestA), base(ingestB)), uploaders, corpus, 200, 4);
        load.release();
        load.start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> load.acceptedCount() >= 50);

        // One upload of each protocol half sent to ingest B when it dies, holding its lease there.
        String heldToken = tokensByUser.get("kill-1");
        byte[] tusContent = "Held on the instance that dies. ".repeat(8_000).getBytes(StandardCharsets.UTF_8);
        URI tusUpload = createTus(ingestB, heldToken, tusContent.length, "held-at-kill.txt");
        HeldRequest heldTus = HeldRequest.send(tus(tusUpload, heldToken).header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream"), "PATCH", tusContent);
        String heldKey = UUID.randomUUID().toString();
        MultipartBody heldBody = new MultipartBody(new SampleUpload("held-at-kill-multipart.txt", "text/plain",
                "Half sent when its instance died. ".repeat(8_000).getBytes(StandardCharsets.UTF_8)));
        HeldRequest heldMultipart = HeldRequest.send(multipart(ingestB, heldToken, heldKey, heldBody), "POST",
                heldBody.bytes());
        heldTus.awaitHalfSent();
        heldMultipart.awaitHalfSent();

        Instant killed = Instant.now();
        Stream.of(processorB, projectionB, ingestB).forEach(ServiceJvm::kill);

        // Their clients go on at ingest A as soon as it lets them, honouring Retry-After.
        CompletableFuture<Instant> tusResumed = CompletableFuture.supplyAsync(
                () -> resumeTus(onInstance(tusUpload, ingestA), heldToken, tusContent));
        CompletableFuture<Instant> multipartResumed = CompletableFuture.supplyAsync(
                () -> sendUntilAccepted(multipart(ingestA, heldToken, heldKey, heldBody), heldBody.bytes()));
        heldTus.abandon();
        heldMultipart.abandon();
        try (ViewStores stores = new ViewStores(SharedInfra.get().mongoUri(), SharedInfra.get().redisHost(),
                SharedInfra.get().redisPort());
                ViewWatch views = ViewWatch.start(events, stores,
                        () -> load.accepted().stream().map(LoadGenerator.AcceptedJob::jobId).toList())) {

            assertThat(load.awaitFinished(Duration.ofMinutes(3))).as("the uploaders reached their target").isTrue();
            LOG.info("{} uploads accepted {} after the kills", load.acceptedCount(),
                    Duration.between(killed, Instant.now()));
            List<LoadGenerator.AcceptedJob> accepted = load.accepted();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> accepted.stream().allMatch(job -> events.isTerminal(job.jobId())));
            LOG.info("All of them ended {} after the kills", Duration.between(killed, Instant.now()));
            accepted.stream().filter(job -> job.acceptedAt().isAfter(killed))
                    .map(job -> events.completedAt(job.jobId()).map(done -> Duration.between(job.acceptedAt(), done)))
                    .flatMap(Optional::stream).max(Comparator.naturalOrder())
                    .ifPresent(slowest -> LOG.info("The slowest job accepted after the kills completed {} after its 202",
                            slowest));
            assertThat(load.unexpected()).as("answers other than 202, 429, 503 and 409").isEmpty();
            assertThat(accepted).allSatisfy(job -> assertThat(events.facts(job.jobId()).stream()
                            .filter(event -> event.type() == EventType.COMPLETED).count())
                    .as("completed facts of job %s", job.jobId()).isEqualTo(1));
            for (LoadGenerator.AcceptedJob job : accepted) {
                awaitStatus(ingestA, tokensByUser.get(job.ownerId()), job.jobId(), "completed");
            }

            Duration tus = Duration.between(killed, tusResumed.get(1, TimeUnit.MINUTES));
            Duration idempotent = Duration.between(killed, multipartResumed.get(1, TimeUnit.MINUTES));
            Duration projection = await().atMost(Duration.ofMinutes(1)).until(() -> views.longestLagAfter(killed),
                    Optional::isPresent).orElseThrow();
            LOG.info("After the kills: a tus upload held by the killed ingest instance resumed on the other in {}, a "
                    + "multipart upload's Idempotency-Key was free again in {}, the views lagged the facts by at most {}",
                    tus, idempotent, projection);
            assertThat(tus).as("from the kill to the held tus upload finished on the other instance")
                    .isLessThanOrEqualTo(RECOVERY);
            assertThat(idempotent).as("from the kill to the held multipart upload accepted by the other instance")
                    .isLessThanOrEqualTo(RECOVERY);
            assertThat(projection).as("the longest wait from a completed fact (or the kill) to both views showing it")
                    .isLessThanOrEqualTo(RECOVERY);
        }
    }

    /** PATCHes the rest of a tus upload from the offset {@code HEAD} gives, until it is taken; when it was. */
    private static Instant resumeTus(URI upload, String token, byte[] content) {
        while (true) {
            HttpResponse<String> head = send(tus(upload, token).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            if (head.statusCode() == 200) {
                int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
                HttpResponse<String> rest = patch(upload, token, offset, Arrays.copyOfRange(content, offset,
                        content.length));
                if (rest.statusCode() == 204) {
                    return Instant.now();
                }
                assertThat(rest.statusCode()).as(rest.body()).isIn(409, 423);
                pauseFor(rest);
            } else {
                assertThat(head.statusCode()).as(head.body()).isEqualTo(423);
                pauseFor(head);
            }
        }
    }

    /** Sends an upload again until it is accepted; when it was. */
    private static Instant sendUntilAccepted(HttpRequest.Builder upload, byte[] body) {
        while (true) {
            HttpResponse<String> answer = send(upload.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            if (answer.statusCode() == 202) {
                return Instant.now();
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
            pauseFor(answer);
        }
    }

    /** Waits as long as the answer's {@code Retry-After} says (a second when it says nothing). */
    private static void pauseFor(HttpResponse<String> answer) {
        long seconds = answer.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        try {
            Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder multipart(ServiceJvm ingest, String token, String idempotencyKey,
            MultipartBody body) {
        return HttpRequest.newBuilder(URI.create(base(ingest) + "/api/v1/uploads"))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", body.contentType());
    }

    /** A request whose body stops half way, as a client's does when the instance it talks to dies under it. */
    private record HeldRequest(CountDownLatch halfSent, CountDownLatch rest) {

        static HeldRequest send(HttpRequest.Builder request, String method, byte[] body) {
            HeldRequest held = new HeldRequest(new CountDownLatch(1), new CountDownLatch(1));
            HTTP.sendAsync(request.method(method, HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> new HeldBack(body, held.halfSent, held.rest)),
                            body.length)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return held;
        }

        void awaitHalfSent() throws InterruptedException {
            assertThat(halfSent.await(30, TimeUnit.SECONDS)).as("half of the body sent").isTrue();
        }

        /** Lets the client's writer go on, into a connection that is gone, so that its thread ends. */
        void abandon() {
            rest.countDown();
        }
    }

    /** Sends its bytes up to half, then holds the rest back until released, as a slow client does. */
    private static final class HeldBack extends InputStream {

        private final byte[] content;
        private final CountDownLatch sentSome;
        private final CountDownLatch release;
        private int position;

        HeldBack(byte[] content, CountDownLatch sentSome, CountDownLatch release) {
            this.content = content;
            this.sentSome = sentSome;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= content.length) {
                return -1;
            }
            if (position >= content.length / 2) {
                sentSome.countDown();
                try {
                    if (!release.await(2, TimeUnit.MINUTES)) {
                        throw new IOException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            int limit = position < content.length / 2 ? content.length / 2 : content.length;
            int count = Math.min(length, limit - position);
            System.arraycopy(content, position, buffer, offset, count);
            position += count;
            return count;
        }
    }

    private static String uploadText(ServiceJvm ingest, String token, String filename, String text) {
        MultipartBody body = new MultipartBody(new SampleUpload(filename, "text/plain",
                text.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(ingest) + "/api/v1/uploads"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return JSON.readTree(response.body()).at("/jobs/0/jobId").asString();
    }

    private static URI createTus(ServiceJvm ingest, String token, int length, String filename) {
        String metadata = "filename " + Base64.getEncoder().encodeToString(filename.getBytes(StandardCharsets.UTF_8))
                + ",filetype " + Base64.getEncoder().encodeToString("text/plain".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> created = send(tus(URI.create(base(ingest) + "/api/v1/tus/"), token)
                .header("Upload-Length", Integer.toString(length))
                .header("Upload-Metadata", metadata)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return URI.create(base(ingest)).resolve(created.headers().firstValue("Location").orElseThrow());
    }

    private static HttpResponse<String> patch(URI upload, String token, long offset, byte[] bytes) {
        return send(tus(upload, token)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private static HttpRequest.Builder tus(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Tus-Resumable", TUS_VERSION).header("Authorization", "Bearer " + token);
    }

    /** The same upload's URL on another instance. */
    private static URI onInstance(URI upload, ServiceJvm ingest) {
        return URI.create(base(ingest) + upload.getPath());
    }

    private static void awaitStatus(ServiceJvm ingest, String token, String jobId, String status) {
        await("job " + jobId + " " + status).atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> JSON.readTree(get(base(ingest) + "/api/v1/jobs/" + jobId, token).body())
                        .path("status").asString(), status::equals);
    }

    /** Jobs the processor completed, by its own metrics. */
    private static double completedBy(ServiceJvm processor) {
        return get(base(processor) + "/actuator/prometheus", null).body().lines()
                .filter(line -> line.startsWith("spool_processor_jobs_total{") && line.contains("outcome=\"completed\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String base(ServiceJvm jvm) {
        return "http://127.0.0.1:" + jvm.port();
    }

    private static HttpResponse<String> get(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
