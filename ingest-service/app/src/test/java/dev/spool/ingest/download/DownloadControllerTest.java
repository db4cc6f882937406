package dev.spool.ingest.download;

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
import dev.spool.schemas.event.Priority;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

@WebSliceTest(DownloadController.class)
class DownloadControllerTest {

    private static final String JOB_ID = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";
    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final DownloadLink LINK = new DownloadLink(
            URI.create("http://localhost:9000/spool-uploads/uploads/" + JOB_ID + "?X-Amz-Signature=abc"),
            Instant.parse("2026-12-07T22:15:00Z"));

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private DownloadLinks links;

    @Test
    void theOriginalIsA302ToItsPresignedUrlThatNobodyCaches() {
        when(links.original(any(), eq(JOB_ID))).thenReturn(Mono.just(LINK));

        client.get().uri("/api/v1/jobs/{id}/original", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("alice"))
                .exchange()
                .expectStatus().isFound()
                .expectHeader().location(LINK.url().toString())
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody().isEmpty();
        verify(links).original(new Caller("alice", Priority.NORMAL, false), JOB_ID);
    }

    @Test
    void theTextIsA302TooAndWithRedirectFalseTheUrlComesAsJson() {
        when(links.text(any(), eq(JOB_ID))).thenReturn(Mono.just(LINK));
        String token = "Bearer " + ISSUER.user("alice");

        client.get().uri("/api/v1/jobs/{id}/text/download", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isFound()
                .expectHeader().location(LINK.url().toString())
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store");
        client.get().uri("/api/v1/jobs/{id}/text/download?redirect=false", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody()
                .jsonPath("$.url").isEqualTo(LINK.url().toString())
                .jsonPath("$.expiresAt").isEqualTo("2026-12-07T22:15:00Z");
    }

    @Test
    void refusalsAreProblemDetails() {
        when(links.original(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.JOB_NOT_FOUND)));
        when(links.text(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.NOT_READY)));
        String token = "Bearer " + ISSUER.user("mallory");

        client.get().uri("/api/v1/jobs/{id}/original", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().doesNotExist(HttpHeaders.LOCATION)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
        client.get().uri("/api/v1/jobs/{id}/text/download", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, token)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("not_ready")
                .jsonPath("$.detail").isEqualTo(ProblemCode.NOT_READY.defaultDetail());
    }

    @Test
    void withoutATokenNothingIsSigned() {
        client.get().uri("/api/v1/jobs/{id}/original", JOB_ID)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(links);
    }
}
