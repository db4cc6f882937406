package dev.spool.ingest.tus;

import static dev.spool.ingest.tus.TusIntegrationTest.header;
import static dev.spool.ingest.tus.TusIntegrationTest.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Exactly one job per resumable upload however its instance dies while finishing it: instance A dies at each step
 * between the last byte and the reply (S3's assembly, the assembled record, Kafka's acknowledgement, the completed
 * record; see {@link CrashingUploadStore}), and instance B, sharing only the servers, finishes the upload when the
 * client asks for its offset, or when its sweeper finds it expired with nobody asking. Each time, the job-events topic
 * holds one acceptance, the stored object is the file, the job's status answers, and after the sweeper nothing of the
 * upload is left in S3 or MongoDB but the job's object.
 */
class TusCrashIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BUCKET = "spool-uploads";
    /** More than a 5 MiB part, so the file is one stored part and a last one sent at assembly. */
    private static final int FILE_BYTES = 6 * 1024 * 1024 + 4321;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static IngestInstance survivor;
    private static int survivorPort;

    @BeforeAll
    static void startSurvivor() {
        survivorPort = IngestInstance.freePort();
        survivor = IngestInstance.start(survivorPort, SECRET, "spool:test:" + UUID.randomUUID() + ":ratelimit:",
                Map.of("spool.ingest.part-size", "5MB", "spool.ingest.tus.sweep-interval", "1h"), context -> { });
    }

    @AfterAll
    static void stopSurvivor() {
        survivor.close();
    }

    @ParameterizedTest
    @EnumSource(CrashingUploadStore.Step.class)
    void anInstanceDyingAtAnyStepOfFinishingLeavesExactlyOneJobWhichTheClientLearnsFromAnother(
            CrashingUploadStore.Step step) throws Exception {
        Crashed crashed = uploadUntilDeath(step);

        HttpResponse<String> head = headOnSurvivor(crashed);
        assertThat(header(head, "Upload-Offset")).isEqualTo(Integer.toString(FILE_BYTES));

        assertOneJob(crashed);
        assertSweptToTheJobsObjectAlone(crashed);
    }

    /** The steps after which the client sees no job: S3 has the file, and perhaps Kafka the job. */
    @ParameterizedTest
    @EnumSource(value = CrashingUploadStore.Step.class, names = {"AFTER_S3_ASSEMBLY", "AFTER_KAFKA_ACK"})
    void anUploadWhoseClientNeverReturnsIsCompletedByTheSweeperWithExactlyOneJob(CrashingUploadStore.Step step)
            throws Exception {
        Crashed crashed = uploadUntilDeath(step);
        expire(crashed.jobId());

        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
            survivor.bean(TusSweeper.class).sweepOnce().block(DEADLINE);
            Document record = record(crashed.jobId());
            return record != null && "COMPLETED".equals(record.getString("status"));
        });

        assertOneJob(crashed);
        assertSweptToTheJobsObjectAlone(crashed);
    }

    private record Crashed(String user, String token, String path, String jobId, byte[] file) {
    }

    /** Sends a whole file to a new instance A that dies at {@code step}, then stops A. */
    private Crashed uploadUntilDeath(CrashingUploadStore.Step step) throws Exception {
        int port = IngestInstance.freePort();
        AtomicReference<CrashingUploadStore> store = new AtomicReference<>();
        Map<String, Object> settings = Map.of("spool.ingest.part-size", "5MB", "spool.ingest.tus.sweep-interval", "1h",
                "spool.ingest.tus.lock-ttl", "3s");
        try (IngestInstance dying = IngestInstance.start(port, SECRET, "spool:test:" + UUID.randomUUID() + ":ratelimit:",
                settings, context -> context.registerBean("crashingUploadStore", TusUploadStore.class, () -> {
                    CrashingUploadStore crashing = new CrashingUploadStore(context.getBean(MongoClient.class),
                            context.getBean(DependencyGuard.class));
                    store.set(crashing);
                    return crashing;
                }, definition -> definition.setPrimary(true)))) {
            String user = "tus-crash-" + UUID.randomUUID();
            String token = ISSUER.user(user);
            byte[] file = SampleFiles.text(FILE_BYTES);
            TusClient tus = new TusClient(port);
            HttpResponse<String> created = tus.create(token, (long) file.length,
                    Map.of("filename", "notes.txt", "filetype", "text/plain"));
            assertThat(created.statusCode()).isEqualTo(201);
            String path = URI.create(header(created, "Location")).getPath();
            assertThat(dying.bean(TusUploadStore.class)).isSameAs(store.get());

            store.get().dieAt(step);
            HttpResponse<String> patch = tus.patch("http://localhost:" + port + path, token, 0, file);

            assertThat(store.get().awaitDeath(Duration.ofSeconds(10))).as("died at " + step).isTrue();
            assertThat(patch.statusCode()).as(patch.body()).isNotEqualTo(204);
            return new Crashed(user, token, path, path.substring(path.lastIndexOf('/') + 1), file);
        }
    }

    /** Asks the survivor for the upload's offset until the dead instance's lease lapsed and it answers. */
    private HttpResponse<String> headOnSurvivor(Crashed crashed) {
        TusClient tus = new TusClient(survivorPort);
        AtomicReference<HttpResponse<String>> head = new AtomicReference<>();
        Awaitility.await().atMost(DEADLINE).pollInterval(Duration.ofMillis(300)).until(() -> {
            head.set(tus.head("http://localhost:" + survivorPort + crashed.path(), crashed.token()));
            return head.get().statusCode() == 200;
        });
        return head.get();
    }

    private void assertOneJob(Crashed crashed) throws Exception {
        String sha256 = sha256(crashed.file());
        List<JobAccepted> jobs = JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), crashed.user());
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.jobId()).isEqualTo(crashed.jobId());
            assertThat(job.size()).isEqualTo(FILE_BYTES);
            assertThat(job.sha256()).isEqualTo(sha256);
        });
        assertThat(object("uploads/" + crashed.jobId())).isEqualTo(crashed.file());
        HttpResponse<String> status = new TusClient(survivorPort).send(TusClient.tus(
                URI.create("http://localhost:" + survivorPort + "/api/v1/jobs/" + crashed.jobId()), crashed.token()).GET());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(status.body()).contains("\"jobId\":\"" + crashed.jobId() + "\"");
    }

    /** The sweeper forgets the finished upload: its record and staging object go, the job's object stays. */
    private void assertSweptToTheJobsObjectAlone(Crashed crashed) throws Exception {
        expire(crashed.jobId());
        survivor.bean(TusSweeper.class).sweepOnce().block(DEADLINE);

        assertThat(record(crashed.jobId())).isNull();
        assertThat(object("tus-staging/" + crashed.jobId())).isNull();
        assertThat(s3().listMultipartUploads(request -> request.bucket(BUCKET).prefix("uploads/" + crashed.jobId()))
                .get().uploads()).isEmpty();
        assertThat(object("uploads/" + crashed.jobId())).isEqualTo(crashed.file());
        assertThat(JobEventsProbe.acceptedFor(SharedInfra.get().kafkaBootstrapServers(), crashed.user())).hasSize(1);
    }

    private static void expire(String id) {
        Mono.from(uploads().updateOne(Filters.eq("_id", id),
                Updates.set("expiresAt", Date.from(Instant.now().minusSeconds(1))))).block(DEADLINE);
    }

    private static Document record(String id) {
        return Mono.from(uploads().find(Filters.eq("_id", id)).first()).block(DEADLINE);
    }

    private static MongoCollection<Document> uploads() {
        return survivor.bean(MongoClient.class).getDatabase(ViewStorage.MONGO_DATABASE)
                .getCollection(TusUploadStore.COLLECTION);
    }

    private static S3AsyncClient s3() {
        return survivor.bean(S3AsyncClient.class);
    }

    /** The object's bytes; {@code null} when there is none. */
    private static byte[] object(String key) throws Exception {
        try {
            return s3().getObject(request -> request.bucket(BUCKET).key(key), AsyncResponseTransformer.toBytes())
                    .get().asByteArray();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return null;
            }
            throw e;
        }
    }
}
