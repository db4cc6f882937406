package dev.spool.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.idempotency.IdempotencyKeys;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.web.WebSliceTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@code POST /api/v1/uploads} as the controller answers it, the upload work itself stood in for. */
@WebSliceTest(UploadController.class)
class UploadControllerTest {

    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final String JOB_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private UploadService uploads;

    @MockitoBean
    private UploadPermits permits;

    @BeforeEach
    void limits() {
        when(uploads.limits()).thenReturn(new UploadLimits(1024, 2048, 2));
    }

    @Test
    void theAnswerListsEachFileAcceptedOrRefusedWithItsLinksAndGivesThePermitBack() {
        UploadResult result = new UploadResult(
                List.of(new UploadResult.Accepted(0, JOB_ID, "notes.txt", "text/plain", 5, "ab".repeat(32))),
                List.of(new UploadResult.Rejected(1, "tool.exe", ProblemCode.UNSUPPORTED_TYPE,
                        "Executables are not accepted; upload a document.", Map.of())));
        when(uploads.accept(any(), eq("low"), isNull(), any(), any()))
                .thenReturn(Mono.just(new UploadService.Outcome(result, false)));

        StepVerifier.create(upload(Map.of("Authorization", bearer()), "?priority=low")
                        .expectStatus().isAccepted()
                        .expectHeader().doesNotExist(IdempotencyKeys.REPLAYED_HEADER)
                        .returnResult(UploadResponse.class).getResponseBody())
                .assertNext(answer -> {
                    assertThat(answer.jobs()).singleElement().satisfies(job -> {
                        assertThat(job.jobId()).isEqualTo(JOB_ID);
                        assertThat(job.statusUrl()).isEqualTo("/api/v1/jobs/" + JOB_ID);
                        assertThat(job.eventsUrl()).isEqualTo("/api/v1/jobs/" + JOB_ID + "/events");
                    });
                    assertThat(answer.rejected()).singleElement().satisfies(file -> {
                        assertThat(file.index()).isEqualTo(1);
                        assertThat(file.status()).isEqualTo(415);
                        assertThat(file.code()).isEqualTo("unsupported_type");
                        assertThat(file.detail()).isEqualTo("Executables are not accepted; upload a document.");
                    });
                })
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        verify(permits).acquire();
        verify(permits).release();
    }

    @Test
    void theRememberedAnswerToARepeatedKeySaysSo() {
        UploadResult result = new UploadResult(
                List.of(new UploadResult.Accepted(0, JOB_ID, "notes.txt", "text/plain", 5, "ab".repeat(32))), List.of());
        when(uploads.accept(any(), isNull(), eq("order-42"), any(), any()))
                .thenReturn(Mono.just(new UploadService.Outcome(result, true)));

        upload(Map.of("Authorization", bearer(), IdempotencyKeys.HEADER, "order-42"), "")
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(IdempotencyKeys.REPLAYED_HEADER, "true")
                .expectBody().jsonPath("$.jobs[0].jobId").isEqualTo(JOB_ID);
    }

    @Test
    void aMalformedIdempotencyKeyIsRefusedBeforeTheBodyIsReadOrAPermitTaken() {
        upload(Map.of("Authorization", bearer(), IdempotencyKeys.HEADER, "no spaces allowed"), "")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("invalid_idempotency_key");
        verify(uploads, never()).accept(any(), any(), any(), any(), any());
        verifyNoInteractions(permits);
    }

    @Test
    void aDeclaredLengthOverTheRequestLimitIsRefusedBeforeAPermitIsTaken() {
        upload(Map.of("Authorization", bearer(), HttpHeaders.CONTENT_LENGTH, "10000000"), "")
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("request_too_large");
        verify(uploads, never()).accept(any(), any(), any(), any(), any());
        verifyNoInteractions(permits);
    }

    private WebTestClient.ResponseSpec upload(Map<String, String> headers, String query) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", "hello".getBytes()).filename("notes.txt");
        return client.post().uri("/api/v1/uploads" + query)
                .headers(h -> headers.forEach(h::set))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private static String bearer() {
        return "Bearer " + ISSUER.token("alice", "standard", List.of());
    }
}
