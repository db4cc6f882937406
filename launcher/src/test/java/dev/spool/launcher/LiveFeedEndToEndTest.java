package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraSettings;
import dev.spool.testsupport.SharedInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job followed live over SSE through the whole pipeline: uploaded while no processor runs (so it waits, queued),
 * followed until the subscriber disconnects, then processed once a processor starts, and followed again from the
 * last event id it saw until the stream ends with {@code completed}; the two connections together saw every entry
 * of the job's feed, once each.
 */
class LiveFeedEndToEndTest {

    private static final String SECRET = "live-feed-test-secret-of-at-least-32-bytes";
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    private static Map<String, Object> properties;
    private static ServiceContexts ingestAndProjection;
    private static ServiceContexts processor;
    private static WebClient client;
    private static LettuceConnectionFactory redisConnections;

    @BeforeAll
    static void startWithoutProcessor() {
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(LauncherSettings.Service.class));
        properties = SpoolLauncher.serviceProperties(settings, SharedInfra.get());
        ingestAndProjection = ServiceContexts.start(properties, 0,
                EnumSet.of(LauncherSettings.Service.INGEST, LauncherSettings.Service.PROJECTION));
        client = WebClient.builder().baseUrl("http://localhost:" + ingestAndProjection.ingestPort()).build();
        redisConnections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(SharedInfra.get().redisHost(), SharedInfra.get().redisPort()));
        redisConnections.afterPropertiesSet();
        redisConnections.start();
    }

    @AfterAll
    static void stopAll() {
        if (processor != null) {
            processor.close();
        }
        ingestAndProjection.close();
        redisConnections.destroy();
    }

    @Test
    void aJobIsFollowedFromQueuedToCompletedAcrossAReconnectWithNothingLostOrRepeated() {
        String token = new DemoTokens(SECRET).demoUser(Instant.now());
        String jobId = upload(token);

        ServerSentEvent<String> queued = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> firstEvent(token, jobId), event -> event != null && event.id() != null);
        assertThat(queued.event()).isEqualTo("status");
        assertThat(json(queued).path("status").asString()).isEqualTo("queued");

        processor = ServiceContexts.start(properties, 0, EnumSet.of(LauncherSettings.Service.PROCESSOR));
        List<ServerSentEvent<String>> rest = client.get().uri("/api/v1/jobs/{id}/events", jobId)
                .headers(h -> {
                    h.setBearerAuth(token);
                    h.set("Last-Event-ID", queued.id());
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .bodyToFlux(SSE)
                .filter(event -> !"heartbeat".equals(event.event()))
                .collectList()
                .block(Duration.ofSeconds(120));

        assertThat(rest).isNotEmpty();
        ServerSentEvent<String> last = rest.get(rest.size() - 1);
        assertThat(last.event()).isEqualTo("completed");
        assertThat(json(last).path("status").asString()).isEqualTo("completed");
        assertThat(json(last).at("/result/pages").asInt()).isEqualTo(1);
        List<String> seen = new ArrayList<>();
        seen.add(queued.id());
        rest.forEach(event -> seen.add(event.id()));
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).as("the feed's every entry, in order").containsExactlyElementsOf(feedIds(jobId));
        assertThat(rest).extracting(ServerSentEvent::event).contains("progress");
    }

    private String upload(String token) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleDocuments.pdf("Followed live from the queue to the end")).filename("live.pdf")
                .contentType(MediaType.APPLICATION_PDF);
        JsonNode accepted = client.post().uri("/api/v1/uploads")
                .headers(h -> h.setBearerAuth(token))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchangeToMono(response -> {
                    assertThat(response.statusCode()).isEqualTo(HttpStatus.ACCEPTED);
                    return response.bodyToMono(JsonNode.class);
                })
                .block(Duration.ofSeconds(30));
        return accepted.at("/jobs/0/jobId").asString();
    }

    /** Subscribes, takes the first event that is not a heartbeat, and disconnects. */
    private ServerSentEvent<String> firstEvent(String token, String jobId) {
        return client.get().uri("/api/v1/jobs/{id}/events", jobId)
                .headers(h -> h.setBearerAuth(token))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToFlux(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToFlux(SSE)
                        : response.releaseBody().thenMany(Flux.empty()))
                .filter(event -> !"heartbeat".equals(event.event()))
                .next()
                .block(Duration.ofSeconds(10));
    }

    private static JsonNode json(ServerSentEvent<String> event) {
        return JSON.readTree(event.data());
    }

    private static List<String> feedIds(String jobId) {
        return JobFeeds.entryIds(redisConnections, jobId);
    }
}
