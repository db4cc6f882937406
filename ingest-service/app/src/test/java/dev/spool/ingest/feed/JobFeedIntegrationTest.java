package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.IngestApplication;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Live job feeds over SSE against the real Redis, with the feed written in the contract's format (what the
 * projection writes): following a job to its end, resuming after a disconnect with no gap and no duplicate, a
 * finished job, ownership, heartbeats, and two ingest instances serving the same job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.feed.heartbeat=500ms",
    "spool.feed.poll-interval=30s"
})
class JobFeedIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> EVENT =
            new ParameterizedTypeReference<>() { };

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @Autowired
    private Environment environment;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void aJobIsFollowedFromQueuedToCompletedAndTheStreamEnds() {
        String owner = user();
        String jobId = newJob(owner);
        List<ServerSentEvent<JsonNode>> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = subscribe(port, owner, jobId, null, seen);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> names(seen).contains("status"));

        append(jobId, FeedKind.STATUS, view(jobId, owner, JobStatus.PROCESSING, 0, 2));
        append(jobId, FeedKind.PROGRESS, view(jobId, owner, JobStatus.PROCESSING, 60, 3));
        append(jobId, FeedKind.COMPLETED, view(jobId, owner, JobStatus.COMPLETED, 100, 4));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(subscription::isDisposed);
        List<ServerSentEvent<JsonNode>> events = withoutHeartbeats(seen);
        assertThat(names(events)).containsExactly("status", "status", "progress", "completed");
        assertThat(events).allSatisfy(event -> assertThat(event.id()).isNotBlank());
        assertThat(events.get(2).data().get("progress").asInt()).isEqualTo(60);
        assertThat(events.get(3).data().get("status").asString()).isEqualTo("completed");
    }

    @Test
    void aReconnectWithLastEventIdMissesNothingAndRepeatsNothing() {
        String owner = user();
        String jobId = newJob(owner);
        List<ServerSentEvent<JsonNode>> first = new CopyOnWriteArrayList<>();
        Disposable connection = subscribe(port, owner, jobId, null, first);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> withoutHeartbeats(first).size() == 1);
        append(jobId, FeedKind.STATUS, view(jobId, owner, JobStatus.PROCESSING, 0, 2));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> withoutHeartbeats(first).size() == 2);
        connection.dispose();
        String lastSeen = withoutHeartbeats(first).get(1).id();

        append(jobId, FeedKind.PROGRESS, view(jobId, owner, JobStatus.PROCESSING, 30, 3));
        append(jobId, FeedKind.PROGRESS, view(jobId, owner, JobStatus.PROCESSING, 70, 4));
        List<ServerSentEvent<JsonNode>> second = new CopyOnWriteArrayList<>();
        Disposable reconnection = subscribe(port, owner, jobId, lastSeen, second);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> withoutHeartbeats(second).size() == 2);
        append(jobId, FeedKind.FAILED, view(jobId, owner, JobStatus.FAILED, 70, 5));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(reconnection::isDisposed);

        List<Integer> versions = withoutHeartbeats(second).stream()
                .map(event -> event.data().get("version").asInt()).toList();
        assertThat(versions).containsExactly(3, 4, 5);
    }

    @Test
    void aFinishedJobSendsItsFinalStateAtOnceAndAResumeAfterItIs204() {
        String owner = user();
        String jobId = newJob(owner);
        append(jobId, FeedKind.COMPLETED, view(jobId, owner, JobStatus.COMPLETED, 100, 2));
        cacheView(view(jobId, owner, JobStatus.COMPLETED, 100, 2));

        List<ServerSentEvent<JsonNode>> events = client(port, owner).get().uri("/api/v1/jobs/{id}/events", jobId)
                .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(EVENT)
                .collectList().block(Duration.ofSeconds(10));
        assertThat(names(events)).containsExactly("completed");

        int status = client(port, owner).get().uri("/api/v1/jobs/{id}/events", jobId)
                .header("Last-Event-ID", events.get(0).id())
                .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                .block(Duration.ofSeconds(10));
        assertThat(status).isEqualTo(204);
    }

    @Test
    void onlyTheOwnerMaySubscribe() {
        String jobId = newJob(user());

        int status = client(port, user()).get().uri("/api/v1/jobs/{id}/events", jobId)
                .exchangeToMono(response -> Mono.just(response.statusCode().value()))
                .block(Duration.ofSeconds(10));

        assertThat(status).isEqualTo(403);
    }

    @Test
    void aQuietJobGetsHeartbeatsABrowserCanSee() {
        String owner = user();
        String jobId = newJob(owner);
        List<ServerSentEvent<JsonNode>> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = subscribe(port, owner, jobId, null, seen);

        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> names(seen).stream().filter("heartbeat"::equals).count() >= 2);
        subscription.dispose();
        assertThat(seen.stream().filter(event -> "heartbeat".equals(event.event())))
                .allSatisfy(event -> assertThat(event.id()).isNull());
    }

    @Test
    void twoIngestInstancesEachServeASubscriberOfTheSameJob() {
        String owner = user();
        String jobId = newJob(owner);
        try (ConfigurableApplicationContext second = startSecondInstance()) {
            int secondPort = second.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            List<ServerSentEvent<JsonNode>> onFirst = new CopyOnWriteArrayList<>();
            List<ServerSentEvent<JsonNode>> onSecond = new CopyOnWriteArrayList<>();
            Disposable a = subscribe(port, owner, jobId, null, onFirst);
            Disposable b = subscribe(secondPort, owner, jobId, null, onSecond);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> names(onFirst).contains("status") && names(onSecond).contains("status"));

            append(jobId, FeedKind.COMPLETED, view(jobId, owner, JobStatus.COMPLETED, 100, 2));

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.isDisposed() && b.isDisposed());
            assertThat(names(withoutHeartbeats(onFirst))).containsExactly("status", "completed");
            assertThat(names(withoutHeartbeats(onSecond))).containsExactly("status", "completed");
        }
    }

    private ConfigurableApplicationContext startSecondInstance() {
        Map<String, Object> properties = new HashMap<>(SharedInfra.get().springProperties());
        properties.put("server.port", "0");
        properties.put("spool.auth.jwt-secret", SECRET);
        properties.put("spool.feed.poll-interval", "30s");
        properties.put("spool.ratelimit.key-prefix", environment.getProperty("spool.ratelimit.key-prefix"));
        return new SpringApplicationBuilder(IngestApplication.class).properties(properties).run();
    }

    /** A queued job: its view cached (for the ownership check) and its first feed entry. */
    private String newJob(String owner) {
        String jobId = UUID.randomUUID().toString();
        JobView queued = view(jobId, owner, JobStatus.QUEUED, 0, 1);
        cacheView(queued);
        append(jobId, FeedKind.STATUS, queued);
        return jobId;
    }

    private void cacheView(JobView view) {
        redis.opsForValue().set(ViewStorage.redisKey(view.jobId()), EventJson.mapper().writeValueAsString(view),
                Duration.ofMinutes(10)).block(Duration.ofSeconds(5));
    }

    /** What the projection does per view change: append to the job's stream, then wake the readers up. */
    private void append(String jobId, FeedKind kind, JobView view) {
        RecordId id = redis.opsForStream().add(StreamRecords.string(Map.of(
                        ViewStorage.FEED_FIELD_KIND, kind.wireName(),
                        ViewStorage.FEED_FIELD_VIEW, EventJson.mapper().writeValueAsString(view)))
                .withStreamKey(ViewStorage.feedKey(jobId))).block(Duration.ofSeconds(5));
        assertThat(id).isNotNull();
        redis.convertAndSend(ViewStorage.FEED_CHANNEL, jobId).block(Duration.ofSeconds(5));
    }

    private static JobView view(String jobId, String owner, JobStatus status, int progress, long version) {
        Instant created = Instant.parse("2026-11-23T10:00:00Z");
        return new JobView(jobId, owner, "a.pdf", 100L, "ab".repeat(32), "application/pdf", Priority.NORMAL, status,
                null, progress, 1, false, created, null, null, null, null, null, version, created.plusSeconds(version));
    }

    private static Disposable subscribe(int port, String owner, String jobId, String lastEventId,
            List<ServerSentEvent<JsonNode>> sink) {
        return client(port, owner).get().uri("/api/v1/jobs/{id}/events", jobId)
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(EVENT)
                .subscribe(sink::add);
    }

    private static WebClient client(int port, String owner) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(owner)).build();
    }

    private static List<ServerSentEvent<JsonNode>> withoutHeartbeats(List<ServerSentEvent<JsonNode>> events) {
        return events.stream().filter(event -> !"heartbeat".equals(event.event())).toList();
    }

    private static List<String> names(List<ServerSentEvent<JsonNode>> events) {
        return events.stream().map(ServerSentEvent::event).toList();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }
}
