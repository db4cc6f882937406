package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import dev.spool.infra.InfraEndpoints;
import dev.spool.infra.InfraSettings;
import dev.spool.schemas.storage.JobObjects;
import dev.spool.schemas.topic.Topics;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tools.jackson.databind.JsonNode;

/**
 * {@code DELETE /api/v1/jobs/{id}} on the whole pipeline and its real servers: after it, nothing of the job is
 * readable in S3, MongoDB, Redis (view and feed) or through any endpoint, another user cannot delete it, and a
 * processor that still finishes it afterwards neither brings it back nor leaves its text behind.
 */
class JobDeletionEndToEndTest {

    private static final String SECRET = "deletion-end-to-end-secret-of-at-least-32-bytes";
    private static final String UPLOAD_BUCKET = "spool-uploads";
    private static final String TEXT_BUCKET = "spool-text";
    private static final Duration SETTLE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static ServiceContexts services;
    private static WebTestClient client;
    private static S3Client s3;
    private static MongoClient mongo;
    private static LettuceConnectionFactory redisConnections;
    private static ReactiveStringRedisTemplate redis;
    private static final DemoTokens TOKENS = new DemoTokens(SECRET);

    @BeforeAll
    static void startPipeline() {
        InfraEndpoints infra = SharedInfra.get();
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(LauncherSettings.Service.class), 0, 0);
        services = ServiceContexts.start(SpoolLauncher.serviceProperties(settings, infra), 0, settings.services(),
                SpoolLauncher.managementServers(settings));
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + services.ingestPort())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        s3 = S3Client.builder()
                .endpointOverride(URI.create(infra.s3Endpoint()))
                .region(Region.of(infra.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey())))
                .forcePathStyle(true)
                .build();
        mongo = MongoClients.create(infra.mongoUri());
        redisConnections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(infra.redisHost(), infra.redisPort()));
        redisConnections.afterPropertiesSet();
        redisConnections.start();
        redis = new ReactiveStringRedisTemplate(redisConnections);
    }

    @AfterAll
    static void stopPipeline() {
        redisConnections.destroy();
        mongo.close();
        s3.close();
        services.close();
    }

    @Test
    void aDeletedJobLeavesNothingInAnyStoreNorBehindAnyEndpoint() {
        String owner = TOKENS.demoUser(Instant.now());
        String stranger = TOKENS.mint("someone-else", "standard", List.of(), Instant.now());
        String job = upload(owner, "secret-plans.pdf", MediaType.APPLICATION_PDF,
                SampleDocuments.pdf("The marmalade recipe is in the third drawer"));
        awaitStatus(owner, job, "completed");
        assertThat(exists(TEXT_BUCKET, JobObjects.textKey(job))).isTrue();

        delete(stranger, job).expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
        assertThat(exists(UPLOAD_BUCKET, JobObjects.uploadKey(job))).as("another user's DELETE removes nothing").isTrue();
        assertThat(exists(TEXT_BUCKET, JobObjects.textKey(job))).isTrue();
        get(owner, "/api/v1/jobs/{id}", job).expectStatus().isOk();

        delete(owner, job).expectStatus().isEqualTo(HttpStatus.ACCEPTED).expectBody().isEmpty();

        assertThat(exists(UPLOAD_BUCKET, JobObjects.uploadKey(job))).as("original, gone before the 202").isFalse();
        assertThat(exists(TEXT_BUCKET, JobObjects.textKey(job))).as("text, gone before the 202").isFalse();
        await().atMost(SETTLE).untilAsserted(() -> get(owner, "/api/v1/jobs/{id}", job).expectStatus().isNotFound());
        await().atMost(SETTLE).untilAsserted(() -> assertThat(listedJobIds(owner)).doesNotContain(job));
        for (String path : List.of("/api/v1/jobs/{id}", "/api/v1/jobs/{id}/text", "/api/v1/jobs/{id}/original",
                "/api/v1/jobs/{id}/text/download", "/api/v1/jobs/{id}/events")) {
            get(owner, path, job).expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
        }
        await().atMost(SETTLE).untilAsserted(() -> assertThat(mongoDocument(job)).isEqualTo(Map.of(
                "_id", job, "status", "deleted")));
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(redisView(job)).doesNotContain("secret-plans", "marmalade", "ownerId").contains("\"deleted\"");
            assertThat(feedKinds(job)).as("the feed's one entry says the job was deleted").containsExactly("deleted");
        });
        assertThat(feedViews(job)).allSatisfy(view -> assertThat(view).doesNotContain("secret-plans", "marmalade"));

        delete(owner, job).expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
    }

    @Test
    void aJobDeletedBeforeItsProcessorFinishesStaysDeletedAndLeavesNoText() {
        String owner = TOKENS.demoUser(Instant.now());
        String job = upload(owner, "draft.txt", MediaType.TEXT_PLAIN,
                "A small draft that travels with its work record and is deleted at once.\n"
                        .getBytes(StandardCharsets.UTF_8));

        delete(owner, job).expectStatus().isEqualTo(HttpStatus.ACCEPTED);

        // The processor ends the job its own way (completed, when it stored the text before the deletion; failed,
        // when it found the original gone); either way after that nothing of the job may be left.
        List<String> facts = PlainEventReader.readUntil(SharedInfra.get().kafkaBootstrapServers(),
                        List.of(Topics.JOB_EVENTS.name()), job, read -> {
                            List<String> types = read.stream().map(PlainEventReader.Event::type).toList();
                            return types.contains("dev.spool.job.deleted.v1") && types.stream().anyMatch(type ->
                                    type.endsWith(".completed.v1") || type.endsWith(".failed.v1"));
                        }, SETTLE)
                .stream().map(PlainEventReader.Event::type).toList();
        assertThat(facts).contains("dev.spool.job.accepted.v1", "dev.spool.job.deleted.v1");

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(mongoDocument(job)).isEqualTo(Map.of("_id", job, "status", "deleted"));
            assertThat(redisView(job)).contains("\"deleted\"").doesNotContain("draft.txt");
            assertThat(feedKinds(job)).containsExactly("deleted");
        });
        assertThat(exists(UPLOAD_BUCKET, JobObjects.uploadKey(job))).isFalse();
        assertThat(exists(TEXT_BUCKET, JobObjects.textKey(job))).isFalse();
        get(owner, "/api/v1/jobs/{id}", job).expectStatus().isNotFound();
        assertThat(listedJobIds(owner)).doesNotContain(job);
    }

    private String upload(String token, String filename, MediaType type, byte[] content) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", content).filename(filename).contentType(type);
        JsonNode accepted = client.post().uri("/api/v1/uploads")
                .headers(h -> h.setBearerAuth(token))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(accepted).isNotNull();
        return accepted.at("/jobs/0/jobId").asString();
    }

    private void awaitStatus(String token, String jobId, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                get(token, "/api/v1/jobs/{id}", jobId).expectStatus().isOk()
                        .expectBody().jsonPath("$.status").isEqualTo(status));
    }

    private WebTestClient.ResponseSpec get(String token, String path, String jobId) {
        return client.get().uri(path + "?redirect=false", jobId).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private WebTestClient.ResponseSpec delete(String token, String jobId) {
        return client.delete().uri("/api/v1/jobs/{id}", jobId).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private List<String> listedJobIds(String token) {
        JsonNode page = client.get().uri("/api/v1/jobs?limit=100").headers(h -> h.setBearerAuth(token)).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(page).isNotNull();
        List<String> ids = new ArrayList<>();
        for (JsonNode view : page.path("jobs")) {
            ids.add(view.path("jobId").asString());
        }
        return ids;
    }

    private static boolean exists(String bucket, String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The job's MongoDB document less its version and its view's bookkeeping: what it says about the job. */
    private static Map<String, Object> mongoDocument(String jobId) {
        Document document = Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE)
                        .getCollection(ViewStorage.JOBS_COLLECTION).find(Filters.eq("_id", jobId)).first())
                .block(Duration.ofSeconds(5));
        assertThat(document).isNotNull();
        Document view = document.get(ViewStorage.FIELD_VIEW, Document.class);
        assertThat(view.keySet()).as("the tombstone's view").doesNotContain("ownerId", "filename", "sha256", "size",
                "contentType", "result", "error", "createdAt");
        Document rest = new Document(document);
        rest.remove(ViewStorage.FIELD_VERSION);
        rest.remove(ViewStorage.FIELD_VIEW);
        return new LinkedHashMap<>(rest);
    }

    private static String redisView(String jobId) {
        String view = redis.opsForValue().get(ViewStorage.redisKey(jobId)).block(Duration.ofSeconds(5));
        return view == null ? "" : view;
    }

    private static List<String> feedKinds(String jobId) {
        return feed(jobId).map(entry -> String.valueOf(entry.get(ViewStorage.FEED_FIELD_KIND))).collectList()
                .block(Duration.ofSeconds(5));
    }

    private static List<String> feedViews(String jobId) {
        return feed(jobId).map(entry -> String.valueOf(entry.get(ViewStorage.FEED_FIELD_VIEW))).collectList()
                .block(Duration.ofSeconds(5));
    }

    private static Flux<Map<Object, Object>> feed(String jobId) {
        return redis.opsForStream().range(ViewStorage.feedKey(jobId), Range.unbounded())
                .map(entry -> entry.getValue());
    }
}
