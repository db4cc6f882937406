package dev.spool.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spool.infra.InfraSettings;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import dev.spool.launcher.LauncherSettings.Service;
import dev.spool.schemas.topic.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/**
 * Dead-letter replay through the whole pipeline on real servers: the processor reaches S3 through a fault proxy, so
 * a persistent S3 outage dead-letters a job; the dead-letter index lists it; with the fault removed, a dry run
 * changes nothing, a replay completes the job exactly once and a second replay is refused; a job that keeps failing
 * hits the loop guard until forced; and a purge takes an entry out of reach.
 */
class DeadLetterReplayEndToEndTest {

    private static final String SECRET = "dead-letter-test-secret-of-at-least-32-bytes";
    private static final DemoTokens TOKENS = new DemoTokens(SECRET);

    @TempDir
    static Path dataDir;

    private static FaultInjectingProxy s3Proxy;
    private static ServiceContexts services;
    private static WebTestClient client;

    @BeforeAll
    static void startPipeline() {
        URI s3 = URI.create(SharedInfra.get().s3Endpoint());
        s3Proxy = FaultInjectingProxy.start(s3.getHost(), s3.getPort());
        // The processor serves its metrics, where the test reads its S3 breaker's state.
        LauncherSettings settings = new LauncherSettings(dataDir, 0, SECRET, InfraSettings.forTests(),
                EnumSet.allOf(Service.class), 0, -1);
        Map<String, Object> processor = new HashMap<>(SpoolLauncher.managementServers(settings).get(Service.PROCESSOR));
        processor.putAll(Map.of(
                "spool.storage.endpoint", s3Proxy.endpoint(),
                "spool.processor.retry.retries", 2,
                "spool.processor.retry.base", "200ms",
                "spool.processor.retry.cap", "1s",
                "spool.processor.storage-breaker.wait-in-open", "1s"));
        Map<Service, Map<String, Object>> own = Map.of(
                Service.PROCESSOR, processor,
                Service.INGEST, Map.of("spool.admin.dlq.max-replays", 1));
        services = ServiceContexts.start(SpoolLauncher.serviceProperties(settings, SharedInfra.get()), 0,
                settings.services(), own);
        client = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + services.ingestPort())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stopPipeline() {
        services.close();
        s3Proxy.close();
    }

    @Test
    void aDeadLetteredJobIsReplayedOnceGuardedAgainstLoopsAndPurged() throws Exception {
        String user = "dlq-user-" + UUID.randomUUID();
        String owner = TOKENS.mint(user, "standard", List.of(), Instant.now());
        String admin = TOKENS.admin(Instant.now());

        s3Proxy.failAll(503);
        String healed = upload(owner, "healed.pdf");
        String poisoned = upload(owner, "poisoned.pdf");
        awaitDeadLettered(owner, healed);
        awaitDeadLettered(owner, poisoned);
        JsonNode listed = awaitListed(admin, user, healed, 0);
        assertThat(listed.path("errorCode").asString()).isEqualTo("storage_unavailable");
        assertThat(listed.path("ownerId").asString()).isEqualTo(user);
        assertThat(listed.path("tier").asString()).isEqualTo("normal");
        assertThat(listed.path("attempts").asInt()).isEqualTo(3);
        assertThat(listed.path("exceptionClass").asString()).isNotBlank();
        assertThat(client.get().uri("/api/v1/admin/dlq").headers(h -> h.setBearerAuth(owner)).exchange()
                .expectStatus().isForbidden().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("code").asString()).isEqualTo("forbidden");

        s3Proxy.passThrough();
        // The processor's S3 breaker half-opens by itself after its one-second wait; the replayed download then
        // closes it. Replayed while still open, the job would fail again without S3 being asked.
        awaitStorageBreakerNotOpen();
        JsonNode dryRun = command("replay", admin, Map.of("filter", Map.of("user", user, "code", "storage_unavailable"),
                "dryRun", true));
        assertThat(dryRun.path("dryRun").asBoolean()).isTrue();
        assertThat(dryRun.path("outcomes")).extracting(outcome -> outcome.path("jobId").asString())
                .containsExactlyInAnyOrder(healed, poisoned);
        assertThat(dryRun.path("outcomes")).allSatisfy(outcome ->
                assertThat(outcome.path("action").asString()).isEqualTo("replayed"));
        assertThat(awaitListed(admin, user, healed, 0).path("status").asString()).isEqualTo("dead");
        assertThat(view(owner, healed).path("status").asString()).isEqualTo("failed");

        JsonNode replayed = command("replay", admin, Map.of("ids", List.of(healed)));
        assertThat(replayed.path("outcomes").path(0).path("action").asString()).isEqualTo("replayed");
        assertThat(replayed.path("outcomes").path(0).path("replayCount").asInt()).isEqualTo(1);
        JsonNode again = command("replay", admin, Map.of("ids", List.of(healed), "force", true));
        assertThat(again.path("outcomes").path(0).path("action").asString()).isEqualTo("skipped");
        assertThat(again.path("outcomes").path(0).path("reason").asString()).isEqualTo("not_dead_lettered");

        JsonNode completed = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> view(owner, healed), view -> "completed".equals(view.path("status").asString()));
        assertThat(completed.path("deadLettered").asBoolean()).isFalse();
        List<PlainEventReader.Event> facts = PlainEventReader.readUntil(SharedInfra.get().kafkaBootstrapServers(),
                List.of(Topics.JOB_EVENTS.name()), healed, events -> events.stream()
                        .anyMatch(event -> event.type().equals("dev.spool.job.completed.v1")), Duration.ofSeconds(30));
        assertThat(facts).extracting(PlainEventReader.Event::type).containsSubsequence(
                "dev.spool.job.accepted.v1", "dev.spool.job.dead-lettered.v1", "dev.spool.job.replayed.v1",
                "dev.spool.job.completed.v1");
        assertThat(facts).filteredOn(event -> event.type().equals("dev.spool.job.completed.v1")).hasSize(1);
        assertThat(facts).filteredOn(event -> event.type().equals("dev.spool.job.replayed.v1")).singleElement()
                .satisfies(event -> assertThat(event.data().path("requestedBy").asText()).isEqualTo(DemoTokens.ADMIN_USER));

        s3Proxy.failAll(503);
        JsonNode first = command("replay", admin, Map.of("ids", List.of(poisoned)));
        assertThat(first.path("outcomes").path(0).path("action").asString()).isEqualTo("replayed");
        awaitListed(admin, user, poisoned, 1);
        JsonNode guarded = command("replay", admin, Map.of("ids", List.of(poisoned)));
        assertThat(guarded.path("outcomes").path(0).path("reason").asString()).isEqualTo("replay_limit");
        JsonNode forced = command("replay", admin, Map.of("ids", List.of(poisoned), "force", true));
        assertThat(forced.path("outcomes").path(0).path("action").asString()).isEqualTo("replayed");
        assertThat(forced.path("outcomes").path(0).path("replayCount").asInt()).isEqualTo(2);
        awaitListed(admin, user, poisoned, 2);

        JsonNode purgeDryRun = command("purge", admin, Map.of("ids", List.of(poisoned), "dryRun", true));
        assertThat(purgeDryRun.path("outcomes").path(0).path("action").asString()).isEqualTo("purged");
        assertThat(awaitListed(admin, user, poisoned, 2).path("status").asString()).isEqualTo("dead");
        JsonNode purged = command("purge", admin, Map.of("ids", List.of(poisoned)));
        assertThat(purged.path("changed").asInt()).isEqualTo(1);
        assertThat(list(admin, "user=" + user)).noneMatch(entry -> poisoned.equals(entry.path("jobId").asString()));
        assertThat(list(admin, "user=" + user + "&status=purged"))
                .anyMatch(entry -> poisoned.equals(entry.path("jobId").asString()));
        JsonNode afterPurge = command("replay", admin, Map.of("ids", List.of(poisoned), "force", true));
        assertThat(afterPurge.path("outcomes").path(0).path("reason").asString()).isEqualTo("not_dead_lettered");
        s3Proxy.passThrough();
    }

    /** Polls the processor's breaker gauge (0 closed, 1 open, 2 half-open) until it is no longer open. */
    private static void awaitStorageBreakerNotOpen() {
        WebTestClient processor = WebTestClient.bindToServer()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024))
                .baseUrl("http://localhost:" + services.processorPort()).build();
        Pattern gauge = Pattern.compile("(?m)^spool_processor_storage_breaker(?:\\{[^}]*})? (\\S+)$");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String metrics = processor.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            Matcher state = gauge.matcher(metrics == null ? "" : metrics);
            return state.find() && Double.parseDouble(state.group(1)) != 1.0;
        });
    }

    private String upload(String token, String filename) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleDocuments.pdf("Dead letter " + filename)).filename(filename)
                .contentType(MediaType.APPLICATION_PDF);
        JsonNode accepted = client.post().uri("/api/v1/uploads")
                .headers(h -> h.setBearerAuth(token))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return accepted.at("/jobs/0/jobId").asString();
    }

    private void awaitDeadLettered(String token, String jobId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> view(token, jobId), view -> view != null && view.path("deadLettered").asBoolean());
    }

    /** The entry of {@code jobId} once the index lists it as dead after {@code replays} replays. */
    private JsonNode awaitListed(String admin, String user, String jobId, int replays) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> list(admin, "user=" + user).stream()
                                .filter(entry -> jobId.equals(entry.path("jobId").asString())
                                        && entry.path("replayCount").asInt() == replays)
                                .findFirst().orElse(null),
                        entry -> entry != null);
    }

    private List<JsonNode> list(String admin, String query) {
        JsonNode page = client.get().uri("/api/v1/admin/dlq?" + query).headers(h -> h.setBearerAuth(admin))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        return page.path("deadLetters").valueStream().toList();
    }

    private JsonNode command(String action, String admin, Map<String, Object> body) {
        return client.post().uri("/api/v1/admin/dlq/" + action).headers(h -> h.setBearerAuth(admin))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private JsonNode view(String token, String jobId) {
        return client.get().uri("/api/v1/jobs/{id}", jobId)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .returnResult(JsonNode.class)
                .getResponseBody()
                .blockFirst(Duration.ofSeconds(10));
    }
}
