package dev.spool.ingest.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.upload.UploadService;
import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.topic.Priority;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Mono;

@WebSliceTest(UploadController.class)
class UploadControllerTest {

    private static final String JOB_ID = "5d8f1c2a-9b7e-4c3d-8a1f-0e2d3c4b5a69";
    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private UploadService uploads;

    @Test
    void anAcceptedUploadAnswers202WithItsJob() {
        when(uploads.accept(any(), eq("low"), any())).thenReturn(Mono.just(List.of(accepted())));

        client.post().uri("/api/v1/uploads?priority=low")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("alice", "premium", List.of()))
                .body(BodyInserters.fromMultipartData(oneFile()))
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.jobs.length()").isEqualTo(1)
                .jsonPath("$.jobs[0].jobId").isEqualTo(JOB_ID)
                .jsonPath("$.jobs[0].filename").isEqualTo("hello.txt")
                .jsonPath("$.jobs[0].statusUrl").isEqualTo("/api/v1/jobs/" + JOB_ID)
                .jsonPath("$.jobs[0].eventsUrl").isEqualTo("/api/v1/jobs/" + JOB_ID + "/events");
        verify(uploads).accept(eq(new Caller("alice", Priority.HIGH, false)), eq("low"), any());
    }

    @Test
    void askingForAHigherTierIs403() {
        when(uploads.accept(any(), eq("high"), any()))
                .thenReturn(Mono.error(new SpoolProblem(ProblemCode.PRIORITY_NOT_ALLOWED)));

        client.post().uri("/api/v1/uploads?priority=high")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("bob"))
                .body(BodyInserters.fromMultipartData(oneFile()))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("priority_not_allowed")
                .jsonPath("$.status").isEqualTo(403);
    }

    @Test
    void aFailedPublishIs503WithRetryAfter() {
        when(uploads.accept(any(), isNull(), any()))
                .thenReturn(Mono.error(new SpoolProblem(ProblemCode.PUBLISH_FAILED, new IllegalStateException("down"))));

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("bob"))
                .body(BodyInserters.fromMultipartData(oneFile()))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectBody()
                .jsonPath("$.code").isEqualTo("publish_failed")
                .jsonPath("$.retryAfterSeconds").isEqualTo(10)
                .jsonPath("$.detail").isEqualTo(ProblemCode.PUBLISH_FAILED.defaultDetail());
    }

    @Test
    void anUnexpectedFailureIs500WithoutInternals() {
        when(uploads.accept(any(), isNull(), any())).thenReturn(Mono.error(new IllegalStateException("secret detail")));

        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("bob"))
                .body(BodyInserters.fromMultipartData(oneFile()))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("internal")
                .jsonPath("$.detail").isEqualTo(ProblemCode.INTERNAL.defaultDetail());
    }

    @Test
    void aBodyThatIsNotMultipartIs415() {
        client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("bob"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"file\":\"x\"}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unsupported_media_type");
        verifyNoInteractions(uploads);
    }

    @Test
    void anUploadWithoutATokenIs401() {
        client.post().uri("/api/v1/uploads")
                .body(BodyInserters.fromMultipartData(oneFile()))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("unauthenticated");
        verifyNoInteractions(uploads);
    }

    private static MultiValueMap<String, HttpEntity<?>> oneFile() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", "hello".getBytes(StandardCharsets.UTF_8)).filename("hello.txt").contentType(MediaType.TEXT_PLAIN);
        return body.build();
    }

    private static JobAccepted accepted() {
        return new JobAccepted(JOB_ID, "alice", "hello.txt", 5, "ab".repeat(32), "text/plain", "text/plain",
                Priority.LOW, "spool-uploads", "uploads/" + JOB_ID, 1, Instant.parse("2026-11-22T10:00:00Z"));
    }
}
