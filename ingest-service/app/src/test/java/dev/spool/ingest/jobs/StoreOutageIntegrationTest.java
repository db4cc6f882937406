package dev.spool.ingest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.infra.mongo.MongoWireServer;
import dev.spool.infra.net.FreePorts;
import dev.spool.infra.redis.RedisProcess;
import dev.spool.ingest.StoredViews;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/**
 * Status reads while the view stores fail, on a Redis and a Mongo-wire server of the test's own that it stops and
 * starts again on the same ports: Redis down is served from MongoDB and recovers by itself (the feed of all of one's
 * jobs, which only Redis has, is 503 meanwhile); both down is 503 with {@code Retry-After}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.store-timeout=500ms",
    "spool.ratelimit.enabled=false"
})
@AutoConfigureWebTestClient(timeout = "30s")
class StoreOutageIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final Path DATA = tempDir();
    private static final int REDIS_PORT = FreePorts.resolve(0);
    private static final int MONGO_PORT = FreePorts.resolve(0);
    private static RedisProcess redisServer = RedisProcess.start(DATA.resolve("redis"), REDIS_PORT, true);
    private static MongoWireServer mongoServer = MongoWireServer.start(DATA.resolve("mongo/jobs"), MONGO_PORT);

    @Autowired
    private WebTestClient client;

    @Autowired
    private MongoClient mongo;

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + MONGO_PORT);
    }

    @AfterAll
    static void stopServers() throws IOException {
        redisServer.close();
        mongoServer.close();
        try (Stream<Path> files = Files.walk(DATA)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void redisDownIsServedFromMongoAndRecoversThenBothDownIs503() {
        String owner = "user-" + UUID.randomUUID();
        JobView view = insert(owner);
        read(owner, view.jobId()).expectStatus().isOk();

        redisServer.close();
        read(owner, view.jobId()).expectStatus().isOk().expectBody().jsonPath("$.jobId").isEqualTo(view.jobId());
        client.get().uri("/api/v1/jobs/events")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(owner))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.code").isEqualTo("status_unavailable");

        redisServer = RedisProcess.start(DATA.resolve("redis"), REDIS_PORT, true);
        redis.delete(ViewStorage.redisKey(view.jobId())).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            read(owner, view.jobId()).expectStatus().isOk();
            assertThat(redis.hasKey(ViewStorage.redisKey(view.jobId())).block(Duration.ofSeconds(2)))
                    .as("re-cached once Redis is back").isTrue();
        });

        redisServer.close();
        mongoServer.close();
        read(owner, view.jobId())
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.code").isEqualTo("status_unavailable");

        redisServer = RedisProcess.start(DATA.resolve("redis"), REDIS_PORT, true);
        mongoServer = MongoWireServer.start(DATA.resolve("mongo/jobs"), MONGO_PORT);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> read(owner, view.jobId()).expectStatus().isOk());
    }

    private WebTestClient.ResponseSpec read(String owner, String jobId) {
        return client.get().uri("/api/v1/jobs/{id}", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(owner))
                .exchange();
    }

    private JobView insert(String owner) {
        Instant created = Instant.parse("2026-11-23T09:00:00Z");
        JobView view = new JobView(UUID.randomUUID().toString(), owner, "a.pdf", 10L, "ab".repeat(32),
                "application/pdf", Priority.NORMAL, JobStatus.QUEUED, null, 0, 1, false, created, null, null, null,
                null, null, 1L, created);
        StoredViews.insert(mongo, view);
        return view;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("spool-store-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
