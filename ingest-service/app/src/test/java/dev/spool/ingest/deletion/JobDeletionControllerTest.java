package dev.spool.ingest.deletion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.Caller;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.event.Priority;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

@WebSliceTest(JobDeletionController.class)
class JobDeletionControllerTest {

    private static final String JOB_ID = "0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d";
    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private JobDeletions deletions;

    @Test
    void aDeletionIsAcceptedWithNoBody() {
        when(deletions.delete(any(), eq(JOB_ID))).thenReturn(Mono.empty());

        delete().expectStatus().isEqualTo(HttpStatus.ACCEPTED).expectBody().isEmpty();
        verify(deletions).delete(new Caller("alice", Priority.NORMAL, false), JOB_ID);
    }

    @Test
    void anUnknownOrAnotherUsersJobIs404ProblemDetails() {
        when(deletions.delete(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.JOB_NOT_FOUND)));

        delete().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
    }

    @Test
    void aDeletionThatCouldNotBeRecordedIs503WithRetryAfter() {
        when(deletions.delete(any(), eq(JOB_ID))).thenReturn(Mono.error(new SpoolProblem(ProblemCode.PUBLISH_FAILED,
                "The job's files were removed but its deletion could not be recorded; send the DELETE again after "
                        + "the Retry-After delay.")));

        delete().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.code").isEqualTo("publish_failed")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("send the DELETE again"));
    }

    private WebTestClient.ResponseSpec delete() {
        return client.delete().uri("/api/v1/jobs/{id}", JOB_ID)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("alice", "standard", List.of()))
                .exchange();
    }
}
