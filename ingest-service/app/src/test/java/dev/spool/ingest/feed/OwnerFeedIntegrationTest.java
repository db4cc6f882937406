package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.LiveViewWrite;
import dev.spool.schemas.view.OwnerFeedAppend;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * The live feed of all of a caller's jobs over SSE against the real Redis, with the owner feeds written by the
 * writers' own script: only the caller's jobs, a resume that delivers exactly what was missed, and a reset when the
 * missed changes are no longer kept. The poll interval is long, so events arrive by wake-up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.feed.heartbeat=500ms",
    "spool.feed.poll-interval=30s"
})
class OwnerFeedIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> EVENT =
            new ParameterizedTypeReference<>() { };
    private static final RedisScript<Long> APPEND = RedisScript.of(OwnerFeedAppend.SCRIPT, Long.class);

    @Autowired
    private ReactiveStringRedisTemplate redis;

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void eachCallerSeesTheChangesOfTheirOwnJobsAndNothingOfAnotherUsers() {
        String alice = user();
        String bob = user();
        List<ServerSentEvent<JsonNode>> alicesFeed = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<JsonNode>> bobsFeed = new CopyOnWriteArrayList<>();
        Disposable a = subscribe(alice, null, alicesFeed);
        Disposable b = subscribe(bob, null, bobsFeed);
        Awaitility.await().atMost(WAIT).until(() -> names(alicesFeed).contains("ready")
                && names(bobsFeed).contains("ready"));

        String alicesJob = UUID.randomUUID().toString();
        String bobsJob = UUID.randomUUID().toString();
        append(alice, FeedKind.STATUS, view(alicesJob, alice, JobStatus.QUEUED, 0, 1));
        append(bob, FeedKind.STATUS, view(bobsJob, bob, JobStatus.QUEUED, 0, 1));
        append(alice, FeedKind.PROGRESS, view(alicesJob, alice, JobStatus.PROCESSING, 40, 3));
        append(alice, FeedKind.COMPLETED, view(alicesJob, alice, JobStatus.COMPLETED, 100, 4));
        append(bob, FeedKind.FAILED, view(bobsJob, bob, JobStatus.FAILED, 0, 2));

        Awaitility.await().atMost(WAIT).until(() -> changes(alicesFeed).size() == 3 && changes(bobsFeed).size() == 2);
        a.dispose();
        b.dispose();
        assertThat(names(changes(alicesFeed))).containsExactly("status", "progress", "completed");
        assertThat(changes(alicesFeed)).allSatisfy(event -> {
            assertThat(event.data().get("jobId").asString()).isEqualTo(alicesJob);
            assertThat(event.id()).isNotBlank();
        });
        assertThat(changes(alicesFeed).get(2).data().get("result").get("textUrl").asString())
                .as("the view as status reads return it").endsWith("/api/v1/jobs/" + alicesJob + "/text");
        assertThat(names(changes(bobsFeed))).containsExactly("status", "failed");
        assertThat(changes(bobsFeed)).allSatisfy(event ->
                assertThat(event.data().get("jobId").asString()).isEqualTo(bobsJob));
    }

    @Test
    void aReconnectWithLastEventIdDeliversExactlyTheMissedChanges() {
        String owner = user();
        String job = UUID.randomUUID().toString();
        List<ServerSentEvent<JsonNode>> first = new CopyOnWriteArrayList<>();
        Disposable connection = subscribe(owner, null, first);
        Awaitility.await().atMost(WAIT).until(() -> names(first).contains("ready"));
        append(owner, FeedKind.STATUS, view(job, owner, JobStatus.QUEUED, 0, 1));
        Awaitility.await().atMost(WAIT).until(() -> changes(first).size() == 1);
        connection.dispose();
        String lastSeen = changes(first).get(0).id();

        String another = UUID.randomUUID().toString();
        append(owner, FeedKind.STATUS, view(job, owner, JobStatus.PROCESSING, 0, 2));
        append(owner, FeedKind.STATUS, view(another, owner, JobStatus.QUEUED, 0, 1));
        List<ServerSentEvent<JsonNode>> second = new CopyOnWriteArrayList<>();
        Disposable reconnection = subscribe(owner, lastSeen, second);
        Awaitility.await().atMost(WAIT).until(() -> changes(second).size() == 2);
        append(owner, FeedKind.COMPLETED, view(job, owner, JobStatus.COMPLETED, 100, 3));
        Awaitility.await().atMost(WAIT).until(() -> changes(second).size() == 3);
        reconnection.dispose();

        assertThat(names(withoutHeartbeats(second))).as("a resume starts with what was missed")
                .containsExactly("status", "status", "completed");
        assertThat(changes(second)).extracting(event -> event.data().get("jobId").asString() + "@"
                + event.data().get("version").asInt()).containsExactly(job + "@2", another + "@1", job + "@3");
    }

    @Test
    void aLastEventIdOlderThanTheFeedKeepsGetsAResetAndThenTheChangesFromThere() {
        String owner = user();
        String job = UUID.randomUUID().toString();
        append(owner, FeedKind.STATUS, view(job, owner, JobStatus.QUEUED, 0, 1));
        String trimmed = feedIds(owner).get(0);
        List<LiveViewWrite.FeedEntry> many = new ArrayList<>();
        for (int i = 0; i < ViewStorage.OWNER_FEED_MAX_LENGTH + 200; i++) {
            many.add(entry(FeedKind.PROGRESS, view(job, owner, JobStatus.PROCESSING, i % 100, i + 2)));
        }
        appendAll(owner, many);
        assertThat(feedIds(owner)).as("trimmed").doesNotContain(trimmed);

        List<ServerSentEvent<JsonNode>> seen = new CopyOnWriteArrayList<>();
        Disposable connection = subscribe(owner, trimmed, seen);
        Awaitility.await().atMost(WAIT).until(() -> names(seen).contains("reset"));
        append(owner, FeedKind.COMPLETED, view(job, owner, JobStatus.COMPLETED, 100, 5000));
        Awaitility.await().atMost(WAIT).until(() -> changes(seen).size() == 1);
        connection.dispose();

        assertThat(names(withoutHeartbeats(seen))).containsExactly("reset", "completed");
        assertThat(withoutHeartbeats(seen).get(0).id()).as("a reconnect goes on from the reset")
                .isEqualTo(feedIds(owner).get(feedIds(owner).size() - 2));
        assertThat(withoutHeartbeats(seen).get(0).data().get("code").asString()).isEqualTo("feed_reset");
    }

    @Test
    void aLastEventIdFromBeforeTheFeedsTimeToLiveGetsAReset() {
        String owner = user();
        append(owner, FeedKind.STATUS, view(UUID.randomUUID().toString(), owner, JobStatus.QUEUED, 0, 1));
        String weekOld = (Instant.now().minus(ViewStorage.OWNER_FEED_TTL).toEpochMilli() - 1) + "-0";

        List<ServerSentEvent<JsonNode>> seen = new CopyOnWriteArrayList<>();
        Disposable connection = subscribe(owner, weekOld, seen);
        Awaitility.await().atMost(WAIT).until(() -> !withoutHeartbeats(seen).isEmpty());
        connection.dispose();

        assertThat(withoutHeartbeats(seen).get(0).event()).isEqualTo("reset");
    }

    @Test
    void theJobListAndAJobsViewAreStillAnsweredBesideTheFeed() {
        String owner = user();
        int list = client(owner).get().uri("/api/v1/jobs").accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(WAIT);
        int unknownJob = client(owner).get().uri("/api/v1/jobs/{id}", UUID.randomUUID()).accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                .block(WAIT);

        assertThat(list).isEqualTo(200);
        assertThat(unknownJob).isEqualTo(404);
    }

    /** What a writer of live views does for each change (see ViewStorage): the owner's feed through its script. */
    private void append(String owner, FeedKind kind, JobView view) {
        appendAll(owner, List.of(entry(kind, view)));
    }

    private void appendAll(String owner, List<LiveViewWrite.FeedEntry> changes) {
        OwnerFeedAppend append = new OwnerFeedAppend(owner, changes);
        redis.execute(APPEND, append.keys(), append.args()).blockLast(WAIT);
    }

    private static LiveViewWrite.FeedEntry entry(FeedKind kind, JobView view) {
        return new LiveViewWrite.FeedEntry(kind, EventJson.mapper().writeValueAsString(view));
    }

    private List<String> feedIds(String owner) {
        return redis.opsForStream().range(ViewStorage.ownerFeedKey(owner), Range.unbounded())
                .map(entry -> entry.getId().getValue()).collectList().block(WAIT);
    }

    private static JobView view(String jobId, String owner, JobStatus status, int progress, long version) {
        Instant created = Instant.parse("2026-11-23T10:00:00Z");
        ExtractionResult result = status == JobStatus.COMPLETED
                ? new ExtractionResult("text/plain", 1, 10, 2, "en", null, null, "texts", jobId, null, null, null, null)
                : null;
        return new JobView(jobId, owner, "a.pdf", 100L, "ab".repeat(32), "application/pdf", Priority.NORMAL, status,
                null, progress, 1, false, created, null, null, null, result, null, version,
                created.plusSeconds(version));
    }

    private Disposable subscribe(String owner, String lastEventId, List<ServerSentEvent<JsonNode>> sink) {
        return client(owner).get().uri("/api/v1/jobs/events")
                .headers(headers -> {
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(EVENT)
                .subscribe(sink::add);
    }

    private WebClient client(String owner) {
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(owner)).build();
    }

    private static List<ServerSentEvent<JsonNode>> withoutHeartbeats(List<ServerSentEvent<JsonNode>> events) {
        return events.stream().filter(event -> !"heartbeat".equals(event.event())).toList();
    }

    /** The job changes among {@code events}: neither heartbeats nor the feed's own ready and reset. */
    private static List<ServerSentEvent<JsonNode>> changes(List<ServerSentEvent<JsonNode>> events) {
        return withoutHeartbeats(events).stream()
                .filter(event -> !"ready".equals(event.event()) && !"reset".equals(event.event())).toList();
    }

    private static List<String> names(List<ServerSentEvent<JsonNode>> events) {
        return events.stream().map(ServerSentEvent::event).toList();
    }

    private static String user() {
        return "user-" + UUID.randomUUID();
    }
}
