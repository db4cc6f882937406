package dev.spool.ingest.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.StoredViews;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/jobs} against the real Mongo-wire server: newest first, cursor paging, status filter, owners. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class JobListIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Autowired
    private WebTestClient client;

    @Autowired
    private MongoClient mongo;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void pagesFollowEachOtherNewestFirstWithoutGapsOrRepeats() {
        String owner = "user-" + UUID.randomUUID();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Two jobs share a creation time, so the id must break the tie across a page boundary.
            Instant created = T0.plusSeconds(i == 2 ? 1 : i);
            expected.add(insert(owner, created, i % 2 == 0 ? JobStatus.COMPLETED : JobStatus.QUEUED).jobId());
        }
        insert("someone-else-" + UUID.randomUUID(), T0.plusSeconds(10), JobStatus.QUEUED);

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list(owner, "/api/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("jobs").forEach(job -> listed.add(job.get("jobId").asString()));
            cursor = page.get("next").isNull() ? null : page.get("next").asString();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).hasSize(5).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(listed.get(0)).isEqualTo(expected.get(4));
        assertThat(listed.get(4)).isEqualTo(expected.get(0));
    }

    @Test
    void aStatusFilterListsOnlyThatStatus() {
        String owner = "user-" + UUID.randomUUID();
        insert(owner, T0, JobStatus.COMPLETED);
        JobView queued = insert(owner, T0.plusSeconds(1), JobStatus.QUEUED);

        JsonNode page = list(owner, "/api/v1/jobs?status=queued");

        assertThat(page.get("jobs")).hasSize(1);
        assertThat(page.get("jobs").get(0).get("jobId").asString()).isEqualTo(queued.jobId());
        assertThat(page.get("next").isNull()).isTrue();
    }

    @Test
    void anotherUsersListIsForAdminsOnly() {
        String owner = "user-" + UUID.randomUUID();
        insert(owner, T0, JobStatus.QUEUED);

        client.get().uri("/api/v1/jobs?owner=" + owner)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("mallory"))
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.get().uri("/api/v1/jobs?owner=" + owner)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.token("root", "premium", List.of("admin")))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.jobs.length()").isEqualTo(1);
    }

    @Test
    void badParametersAre400ProblemDetails() {
        for (String query : List.of("cursor=not-a-cursor", "status=sleeping", "limit=0", "limit=1000")) {
            client.get().uri("/api/v1/jobs?" + query)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("carol"))
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").value(code -> assertThat((String) code)
                            .isIn("invalid_cursor", "malformed_request"));
        }
    }

    private JsonNode list(String owner, String uri) {
        String body = client.get().uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(owner))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return EventJson.mapper().readTree(body);
    }

    private JobView insert(String owner, Instant created, JobStatus status) {
        JobView view = new JobView(UUID.randomUUID().toString(), owner, "a.pdf", 10L, "ab".repeat(32),
                "application/pdf", Priority.NORMAL, status, null, 0, 1, false, created, null, null, null, null, null,
                1L, created);
        StoredViews.insert(mongo, view);
        return view;
    }
}
