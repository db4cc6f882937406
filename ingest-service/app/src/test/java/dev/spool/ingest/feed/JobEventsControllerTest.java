package dev.spool.ingest.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.jobs.JobQueries;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.FeedKind;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The live feed of one job as the controller serves it: named events with ids, heartbeats between, an end. */
@WebSliceTest(JobEventsController.class)
@EnableConfigurationProperties(FeedProperties.class)
@TestPropertySource(properties = "spool.feed.heartbeat=100ms")
class JobEventsControllerTest {

    private static final String JOB_ID = "7d1f3c2a-9b8e-4f6d-a5c4-3b2a1f0e9d8c";
    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() { };

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private JobQueries queries;

    @MockitoBean
    private JobFeedStream feeds;

    @Test
    void theFeedNamesEachChangeKeepsTheConnectionAliveAndEndsAfterTheTerminalEvent() {
        JobView processing = view(JobStatus.PROCESSING);
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.just(processing));
        // The job completes only once the client has seen a heartbeat after the progress event, whatever the load.
        Sinks.One<FeedEvent> completion = Sinks.one();
        when(feeds.open(processing, "1700000000000-0")).thenReturn(Mono.just(Flux.concat(
                Flux.just(new FeedEvent("1700000000001-0", FeedKind.PROGRESS, processing)),
                completion.asMono())));

        Flux<ServerSentEvent<String>> events = client.get().uri("/api/v1/jobs/{id}/events", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, bearer("alice"))
                .header("Last-Event-ID", "1700000000000-0")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
                .expectHeader().valueEquals("X-Accel-Buffering", "no")
                .returnResult(EVENTS).getResponseBody();

        StepVerifier.create(events)
                .thenConsumeWhile(event -> "heartbeat".equals(event.event()))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("progress");
                    assertThat(event.id()).isEqualTo("1700000000001-0");
                    assertThat(event.data()).contains("\"status\":\"processing\"", "\"jobId\":\"" + JOB_ID + "\"");
                })
                .assertNext(event -> assertThat(event.event()).isEqualTo("heartbeat"))
                .then(() -> completion.tryEmitValue(
                        new FeedEvent("1700000000002-0", FeedKind.COMPLETED, view(JobStatus.COMPLETED))))
                .thenConsumeWhile(event -> "heartbeat".equals(event.event()))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("completed");
                    assertThat(event.id()).isEqualTo("1700000000002-0");
                    assertThat(event.data()).contains("\"status\":\"completed\"");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aSubscriberThatAlreadySawTheEndGets204SoItsEventSourceStops() {
        JobView completed = view(JobStatus.COMPLETED);
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.just(completed));
        when(feeds.open(completed, null)).thenReturn(Mono.empty());

        client.get().uri("/api/v1/jobs/{id}/events", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, bearer("alice"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isNoContent();
    }

    @Test
    void anotherUsersJobIsRefusedAsProblemDetailsBeforeAnyStreamOpens() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.NOT_OWNER)));

        client.get().uri("/api/v1/jobs/{id}/events", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, bearer("mallory"))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_owner");
        verifyNoInteractions(feeds);
    }

    private static String bearer(String user) {
        return "Bearer " + ISSUER.token(user, "standard", List.of());
    }

    private static JobView view(JobStatus status) {
        Instant created = Instant.parse("2026-12-06T10:00:00Z");
        return new JobView(JOB_ID, "alice", "notes.txt", 42L, "cd".repeat(32), "text/plain", Priority.NORMAL, status,
                null, status == JobStatus.COMPLETED ? 100 : 40, 1, false, created, created.plusSeconds(1),
                status == JobStatus.COMPLETED ? created.plusSeconds(2) : null, null, null, null, 3, created);
    }
}
