package dev.spool.ingest.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@WebSliceTest(JobController.class)
class JobControllerTest {

    private static final String JOB_ID = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";
    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private JobQueries queries;

    @Test
    void returnsTheViewWithTheTextUrlOnceCompleted() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.just(completedView("alice")));

        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("alice", "premium", List.of()))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.jobId").isEqualTo(JOB_ID)
                .jsonPath("$.ownerId").isEqualTo("alice")
                .jsonPath("$.status").isEqualTo("completed")
                .jsonPath("$.priority").isEqualTo("high")
                .jsonPath("$.createdAt").isEqualTo("2026-11-22T10:00:00Z")
                .jsonPath("$.result.words").isEqualTo(2)
                .jsonPath("$.result.textUrl").isEqualTo("/api/v1/jobs/" + JOB_ID + "/text")
                .jsonPath("$.error").doesNotExist();
        verify(queries).find(new Caller("alice", Priority.HIGH, false), JOB_ID);
    }

    @Test
    void withoutATokenTheAnswerIs401ProblemDetails() {
        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody()
                .jsonPath("$.code").isEqualTo("unauthenticated")
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.type").isEqualTo("https://spool.dev/problems/unauthenticated")
                .jsonPath("$.title").isEqualTo("Authentication required")
                .jsonPath("$.detail").isEqualTo(ProblemCode.UNAUTHENTICATED.defaultDetail());
        verifyNoInteractions(queries);
    }

    @Test
    void anExpiredOrForeignTokenIs401InvalidToken() {
        String foreign = new JwtIssuer(JwtIssuer.randomSecret()).user("alice");
        for (String token : List.of(ISSUER.expired("alice"), foreign, "not-a-jwt")) {
            client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                    .expectBody().jsonPath("$.code").isEqualTo("unauthenticated");
        }
        verifyNoInteractions(queries);
    }

    @Test
    void anotherUsersJobIs403NotOwner() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.NOT_OWNER)));

        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("mallory"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("not_owner")
                .jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.instance").isEqualTo("/api/v1/jobs/" + JOB_ID);
    }

    @Test
    void anUnknownJobIs404() {
        when(queries.find(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.JOB_NOT_FOUND)));

        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("job_not_found")
                .jsonPath("$.retryAfterSeconds").doesNotExist();
    }

    @Test
    void storesThatDoNotAnswerGive503WithRetryAfter() {
        when(queries.find(any(), eq(JOB_ID)))
                .thenReturn(Mono.error(new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE, new IllegalStateException())));

        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5")
                .expectBody()
                .jsonPath("$.code").isEqualTo("status_unavailable")
                .jsonPath("$.retryAfterSeconds").isEqualTo(5);
    }

    @Test
    void theTextStreamsAsUtf8PlainText() {
        String text = "Grüße aus Spool";
        when(queries.text(any(), eq(JOB_ID))).thenReturn(Mono.just(new StoredText(Flux.just(
                DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8))), null)));

        client.get().uri("/api/v1/jobs/{id}/text", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/plain;charset=UTF-8")
                .expectBody(String.class).isEqualTo(text);
    }

    @Test
    void textOfARunningJobIs409NotReady() {
        when(queries.text(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.NOT_READY)));

        client.get().uri("/api/v1/jobs/{id}/text", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_ready");
    }

    @Test
    void springsOwnRefusalsAreProblemDetailsToo() {
        String token = "Bearer " + ISSUER.user("alice");
        client.get().uri("/api/v1/nothing-here")
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
        client.delete().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.ALLOW, "GET")
                .expectBody().jsonPath("$.code").isEqualTo("method_not_allowed");
        client.get().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .accept(MediaType.IMAGE_PNG)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_acceptable");
    }

    private static JobView completedView(String owner) {
        Instant created = Instant.parse("2026-11-22T10:00:00Z");
        ExtractionResult result = new ExtractionResult("application/pdf", 1, 11, 2, "en", null, null,
                "spool-text", "text/" + JOB_ID + ".txt", null, null, null, null);
        return new JobView(JOB_ID, owner, "hello.pdf", 1234L, "ab".repeat(32), "application/pdf", Priority.HIGH,
                JobStatus.COMPLETED, null, 100, 1, false, created, created.plusSeconds(1), created.plusSeconds(2),
                900L, result, null, 7, created.plusSeconds(2));
    }
}
