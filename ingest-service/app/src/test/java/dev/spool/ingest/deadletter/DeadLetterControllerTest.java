package dev.spool.ingest.deadletter;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.jobs.JobCursor;
import dev.spool.ingest.web.WebSliceTest;
import dev.spool.schemas.deadletter.DeadLetter;
import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The admin API over the dead-letter index: operators only, entries described without their records. */
@WebSliceTest(DeadLetterController.class)
class DeadLetterControllerTest {

    private static final JwtIssuer ISSUER = new JwtIssuer(JwtIssuer.SLICE_SECRET);
    private static final Instant FAILED_AT = Instant.parse("2026-12-06T09:30:00.250Z");

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private DeadLetterQueries index;

    @MockitoBean
    private DeadLetterAdmin admin;

    @Test
    void anOperatorListsEntriesWithoutTheirRecordsAndACursorToTheNextPage() {
        DeadLetter entry = new DeadLetter("job-1", "job-1", "alice", "report.pdf", "normal", "storage_unavailable",
                "java.io.IOException", "S3 said 503", 3, FAILED_AT, "spool.jobs.retry-3", 2, 17, "{\"jobId\":\"job-1\"}",
                Status.DEAD, 1, FAILED_AT.plusSeconds(60), "ops");
        JobCursor next = new JobCursor(FAILED_AT, "job-1");
        when(index.list(any(), isNull(), eq(1))).thenReturn(Mono.just(new DeadLetterQueries.Page(List.of(entry), next)));

        client.get().uri("/api/v1/admin/dlq?limit=1&code=storage_unavailable")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.deadLetters[0].id").isEqualTo("job-1")
                .jsonPath("$.deadLetters[0].ownerId").isEqualTo("alice")
                .jsonPath("$.deadLetters[0].errorCode").isEqualTo("storage_unavailable")
                .jsonPath("$.deadLetters[0].attempts").isEqualTo(3)
                .jsonPath("$.deadLetters[0].failedAt").isEqualTo("2026-12-06T09:30:00.250Z")
                .jsonPath("$.deadLetters[0].status").isEqualTo("dead")
                .jsonPath("$.deadLetters[0].replayCount").isEqualTo(1)
                .jsonPath("$.deadLetters[0].lastReplayedAt").isEqualTo("2026-12-06T09:31:00.250Z")
                .jsonPath("$.deadLetters[0].record").doesNotExist()
                .jsonPath("$.deadLetters[0].dlqOffset").doesNotExist()
                .jsonPath("$.next").isEqualTo(next.encode());
    }

    @Test
    void aUserWithoutTheAdminRoleIsRefusedAndTheIndexIsNotRead() {
        client.get().uri("/api/v1/admin/dlq")
                .header(HttpHeaders.AUTHORIZATION, bearer("alice", List.of()))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("forbidden");
        verifyNoInteractions(index, admin);
    }

    @Test
    void aPageSizeOutOfRangeIsAMalformedRequest() {
        client.get().uri("/api/v1/admin/dlq?limit=1000")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        verifyNoInteractions(index);
    }

    @Test
    void aReplaySelectsByIdsOrByFilterNeverBoth() {
        client.post().uri("/api/v1/admin/dlq/replay")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", List.of("job-1"), "filter", Map.of("code", "timeout")))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("malformed_request");
        verifyNoInteractions(admin);
    }

    @Test
    void aDryRunSaysWhatAReplayWouldDoAndNamesTheOperator() {
        when(admin.replay(any(), eq(true), anyBoolean(), eq("ops"))).thenReturn(Mono.just(List.of(
                new DeadLetterAdmin.Outcome("job-1", "job-1", "replayed", null, 2))));

        client.post().uri("/api/v1/admin/dlq/replay")
                .header(HttpHeaders.AUTHORIZATION, bearer("ops", List.of("admin")))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("ids", List.of("job-1"), "dryRun", true))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.dryRun").isEqualTo(true)
                .jsonPath("$.outcomes[0].action").isEqualTo("replayed")
                .jsonPath("$.outcomes[0].replayCount").isEqualTo(2)
                .jsonPath("$.changed").isEqualTo(1);
        verify(admin).replay(any(), eq(true), eq(false), eq("ops"));
    }

    private static String bearer(String user, List<String> roles) {
        return "Bearer " + ISSUER.token(user, "standard", roles);
    }
}
