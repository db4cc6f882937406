package dev.spool.ingest.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.testsupport.SharedInfra;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Many uploads at once over multipart and tus, of sizes at and around every buffer and part boundary and random
 * ones up to 64 MiB, sent in random pieces with pauses, broken off and sent again (multipart, some with an
 * {@code Idempotency-Key}) or resumed from the offset the server kept (tus, some with {@code Upload-Checksum}).
 * Every accepted upload's stored object, its answer and its {@code job.accepted} must have exactly the length and
 * SHA-256 of the bytes the client meant to send, and no other job may exist.
 *
 * <p>A run is drawn from one seed, printed first: {@code -Dspool.stress.seed=...} replays it, and
 * {@code -Dspool.stress.only=N} replays only its upload #N. By default it is sized for CI (60 uploads, 6 at once, up
 * to 64 MiB); {@code -Dspool.stress.uploads=1000 -Dspool.stress.concurrency=12} hunts longer, and
 * {@code -Dspool.stress.max-size} (bytes, up to 1 GiB) draws larger files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.part-size=" + UploadIntegrityStressTest.PART_MIB + "MB",
    "spool.ingest.max-file-size=1GB",
    "spool.ingest.max-request-size=1GB",
    "spool.ingest.tus.max-size=1GB",
    "spool.ingest.max-concurrent-uploads=64",
    "spool.ratelimit.per-user.capacity=100000",
    "spool.ratelimit.per-user.refill-tokens=100000",
    "spool.ratelimit.per-ip.capacity=100000",
    "spool.ratelimit.per-ip.refill-tokens=100000"
})
class UploadIntegrityStressTest {

    static final int PART_MIB = 5;
    private static final Logger LOG = LoggerFactory.getLogger(UploadIntegrityStressTest.class);
    private static final int PART_SIZE = PART_MIB * 1024 * 1024;
    private static final int MAX_SIZE = 64 * 1024 * 1024;
    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BUCKET = "spool-uploads";
    /** Longer than any one upload may take, even the largest on a busy machine: a request left unanswered. */
    private static final Duration STALL = Duration.ofMinutes(3);

    @LocalServerPort
    private int port;

    @Autowired
    private S3AsyncClient s3;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void everyAcceptedUploadIsStoredWithExactlyTheBytesTheClientSent() throws Exception {
        long seed = Long.getLong("spool.stress.seed", new Random().nextLong());
        int uploads = Integer.getInteger("spool.stress.uploads", 60);
        int concurrency = Integer.getInteger("spool.stress.concurrency", 6);
        LOG.info("Upload stress: seed {}, {} uploads, {} at once (-Dspool.stress.seed={} replays it)", seed, uploads,
                concurrency, seed);
        String user = "stress-" + UUID.randomUUID();
        String token = ISSUER.user(user);
        List<Plan> plans = plans(seed, uploads);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        MultipartStressClient multipart = new MultipartStressClient(http, port, token);
        TusStressClient tus = new TusStressClient(http, port, token, PART_SIZE);

        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Set<Plan> inFlight = ConcurrentHashMap.newKeySet();
        List<Future<Result>> running = new ArrayList<>();
        for (Plan plan : plans) {
            running.add(pool.submit(() -> {
                inFlight.add(plan);
                try {
                    return run(plan, multipart, tus);
                } finally {
                    inFlight.remove(plan);
                }
            }));
        }
        List<Result> results = new ArrayList<>();
        try {
            for (Future<Result> result : running) {
                try {
                    results.add(result.get(STALL.toMinutes(), TimeUnit.MINUTES));
                } catch (TimeoutException e) {
                    throw new AssertionError("No upload finished for " + STALL + " (seed " + seed + "); still running: "
                            + inFlight, e);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        for (Result result : results) {
            check(result, wrong);
        }
        Map<String, JobAccepted> published = JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), user)
                .stream().collect(Collectors.toMap(JobAccepted::jobId, Function.identity()));
        Map<String, Result> accepted = results.stream().filter(result -> result.jobId() != null)
                .collect(Collectors.toMap(Result::jobId, Function.identity()));
        assertThat(published.keySet()).as("jobs published (seed %d)", seed).isEqualTo(accepted.keySet());
        accepted.forEach((jobId, result) -> {
            JobAccepted event = published.get(jobId);
            if (event.size() != result.plan().size() || !event.sha256().equals(result.plan().sha256())) {
                wrong.add(result.plan() + ": job.accepted says " + event.size() + " bytes, " + event.sha256());
            }
        });
        int cuts = results.stream().mapToInt(result -> result.outcome().cuts()).sum();
        LOG.info("Upload stress: {} uploads checked, {} requests broken off on the way, {} wrong", results.size(), cuts,
                wrong.size());
        assertThat(wrong).as("uploads stored or answered wrongly (seed %d)", seed).isEmpty();
    }

    /** The edge sizes over both protocols, then random sizes, each upload with a seed of its own. */
    private static List<Plan> plans(long seed, int count) {
        Random random = new Random(seed);
        int maxSize = Integer.getInteger("spool.stress.max-size", MAX_SIZE);
        List<Integer> sizes = new ArrayList<>(List.of(0));
        sizes.addAll(StressFiles.edges(PART_SIZE, maxSize));
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = i < 2 * sizes.size() ? sizes.get(i / 2) : StressFiles.randomSize(random, maxSize);
            plans.add(new Plan(i, i % 2 == 0 ? Protocol.MULTIPART : Protocol.TUS, size, random.nextLong()));
        }
        Collections.shuffle(plans, random);
        Integer only = Integer.getInteger("spool.stress.only");
        return only == null ? plans : plans.stream().filter(plan -> plan.index() == only).toList();
    }

    private static Result run(Plan plan, MultipartStressClient multipart, TusStressClient tus) throws Exception {
        Random random = new Random(plan.seed());
        byte[] file = StressFiles.content(plan.size(), plan.seed());
        StressOutcome outcome = plan.protocol() == Protocol.MULTIPART
                ? multipart.upload(file, random.nextInt(3) == 0
                        ? Map.of("Idempotency-Key", "stress-" + plan.seed()) : Map.of(), random)
                : tus.upload(file, random, random.nextInt(3) == 0
                        ? (from, to) -> new String[] {"Upload-Checksum", "sha256 " + StressFiles.sha256Base64(file, from, to)}
                        : (from, to) -> new String[0]);
        String jobId = plan.protocol() == Protocol.MULTIPART
                ? outcome.status() == 202 ? outcome.body().path("jobs").path(0).path("jobId").asString(null) : null
                : outcome.header("Spool-Job-Id");
        return new Result(plan.withSha256(StressFiles.sha256Hex(file)), outcome, jobId);
    }

    /** An empty file is refused; every other upload is accepted exactly as sent, in its answer and in S3. */
    private void check(Result result, List<String> wrong) {
        Plan plan = result.plan();
        StressOutcome outcome = result.outcome();
        if (plan.size() == 0) {
            if (outcome.status() != 400 || !"empty_file".equals(outcome.body().path("code").asString(null))) {
                wrong.add(plan + ": an empty file was answered " + outcome.status() + " " + outcome.body());
            }
            return;
        }
        if (outcome.cutAt() >= 0) {
            wrong.add(plan + ": accepted although the client broke the body off after " + outcome.cutAt() + " bytes");
        }
        if (result.jobId() == null) {
            wrong.add(plan + ": answered " + outcome.status() + " " + outcome.body());
            return;
        }
        if (plan.protocol() == Protocol.MULTIPART) {
            long size = outcome.body().path("jobs").path(0).path("size").asLong(-1);
            String sha256 = outcome.body().path("jobs").path(0).path("sha256").asString(null);
            if (size != plan.size() || !plan.sha256().equals(sha256)) {
                wrong.add(plan + ": answered 202 with " + size + " bytes, " + sha256);
            }
        }
        byte[] stored = s3.getObject(request -> request.bucket(BUCKET).key("uploads/" + result.jobId()),
                AsyncResponseTransformer.toBytes()).join().asByteArrayUnsafe();
        if (stored.length != plan.size() || !StressFiles.sha256Hex(stored).equals(plan.sha256())) {
            wrong.add(plan + ": stored " + stored.length + " bytes, " + StressFiles.sha256Hex(stored)
                    + firstDifference(stored, plan));
        }
    }

    private static String firstDifference(byte[] stored, Plan plan) {
        byte[] sent = StressFiles.content(plan.size(), plan.seed());
        int at = 0;
        while (at < stored.length && at < sent.length && stored[at] == sent[at]) {
            at++;
        }
        return ", first different byte at " + at;
    }

    enum Protocol { MULTIPART, TUS }

    /** One upload of the run: {@code sha256} is filled in once its bytes exist. */
    record Plan(int index, Protocol protocol, int size, long seed, String sha256) {

        Plan(int index, Protocol protocol, int size, long seed) {
            this(index, protocol, size, seed, null);
        }

        Plan withSha256(String digest) {
            return new Plan(index, protocol, size, seed, digest);
        }

        @Override
        public String toString() {
            return "#" + index + " " + protocol + " " + size + " B (file seed " + seed + ")";
        }
    }

    private record Result(Plan plan, StressOutcome outcome, String jobId) {
    }
}
