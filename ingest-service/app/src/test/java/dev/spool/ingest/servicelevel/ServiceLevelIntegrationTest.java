package dev.spool.ingest.servicelevel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.tus.TusClient;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The whole service on the real servers with an operator changing the level: maintenance refuses multipart uploads,
 * tus creations and PATCHes with 503, Retry-After and the operator's message while reads, the banner, dead-letter
 * replays and administration go on, and a refused tus upload resumes once the level is full; degraded refuses only
 * new low-tier uploads, whether the tier is asked for in the query, the form or the tus metadata; the gauge follows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class ServiceLevelIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String MESSAGE = "Storage is being moved; uploads are paused until 14:00 UTC.";

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    private final String operator = ISSUER.token("ops-" + UUID.randomUUID(), "standard", List.of("admin"));
    private final String user = ISSUER.user("user-" + UUID.randomUUID());

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    /** The topic outlives the test: every other test in this JVM expects full. */
    @AfterEach
    void full() {
        set(Map.of("level", "full")).expectStatus().isOk();
    }

    @Test
    void maintenanceRefusesEveryUploadRequestButNoReadAndATusUploadResumesAfterwards() {
        String jobId = jobIdOf(upload(user, "").expectStatus().isAccepted());
        TusClient tus = new TusClient(port);
        byte[] file = SampleFiles.text(40_000);
        HttpResponse<String> created = tus.create(user, (long) file.length, Map.of("filename", "paused.txt"));
        String url = created.headers().firstValue("Location").orElseThrow();
        assertThat(tus.patch(url, user, 0, Arrays.copyOfRange(file, 0, 10_000)).statusCode()).isEqualTo(204);

        set(Map.of("level", "maintenance", "message", MESSAGE, "retryAfterSeconds", 120)).expectStatus().isOk()
                .expectBody().jsonPath("$.level").isEqualTo("maintenance").jsonPath("$.since").exists();

        upload(user, "").expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "120")
                .expectBody()
                .jsonPath("$.code").isEqualTo("service_maintenance")
                .jsonPath("$.detail").isEqualTo(MESSAGE)
                .jsonPath("$.retryAfterSeconds").isEqualTo(120);
        HttpResponse<String> creation = tus.create(user, 10L, Map.of("filename", "new.txt"));
        assertThat(creation.statusCode()).isEqualTo(503);
        assertThat(creation.body()).contains("\"code\":\"service_maintenance\"");
        HttpResponse<String> patch = tus.patch(url, user, 10_000, Arrays.copyOfRange(file, 10_000, 20_000));
        assertThat(patch.statusCode()).isEqualTo(503);
        assertThat(patch.headers().firstValue("Retry-After")).hasValue("120");
        assertThat(patch.body()).contains("\"code\":\"service_maintenance\"");

        assertThat(tus.head(url, user).headers().firstValue("Upload-Offset")).as("HEAD answers; nothing was lost")
                .hasValue("10000");
        client.get().uri("/api/v1/jobs/" + jobId).header(HttpHeaders.AUTHORIZATION, "Bearer " + user).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.jobId").isEqualTo(jobId);
        client.get().uri("/api/v1/service-level").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.level").isEqualTo("maintenance").jsonPath("$.message").isEqualTo(MESSAGE);
        client.post().uri("/api/v1/admin/dlq/replay").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("ids", List.of("no-such-job"), "dryRun", true))
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.outcomes[0].reason").isEqualTo("not_found");
        client.get().uri("/api/v1/admin/breakers").header(HttpHeaders.AUTHORIZATION, "Bearer " + operator).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.breakers[?(@.name == 's3')].state").isEqualTo("closed");
        assertThat(gauge()).isEqualTo("2.0");

        set(Map.of("level", "full")).expectStatus().isOk();

        assertThat(gauge()).isEqualTo("0.0");
        assertThat(tus.patch(url, user, 10_000, Arrays.copyOfRange(file, 10_000, file.length)).statusCode())
                .isEqualTo(204);
        assertThat(tus.head(url, user).headers().firstValue("Spool-Job-Id")).isPresent();
        upload(user, "").expectStatus().isAccepted();
    }

    @Test
    void degradedRefusesOnlyNewLowTierUploadsWhereverTheTierIsAskedFor() {
        TusClient tus = new TusClient(port);
        byte[] file = SampleFiles.text(2_000);
        String ongoing = tus.create(user, (long) file.length, Map.of("filename", "low.txt", "priority", "low"))
                .headers().firstValue("Location").orElseThrow();

        set(Map.of("level", "degraded")).expectStatus().isOk();

        upload(user, "?priority=low").expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "300")
                .expectBody()
                .jsonPath("$.code").isEqualTo("service_degraded")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("leave priority out"));
        MultipartBodyBuilder lowInForm = textFile();
        lowInForm.part("priority", "low");
        client.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer " + user)
                .body(BodyInserters.fromMultipartData(lowInForm.build())).exchange()
                .expectStatus().isEqualTo(503).expectBody().jsonPath("$.code").isEqualTo("service_degraded");
        HttpResponse<String> lowTus = tus.create(user, 10L, Map.of("filename", "low.txt", "priority", "low"));
        assertThat(lowTus.statusCode()).isEqualTo(503);
        assertThat(lowTus.body()).contains("\"code\":\"service_degraded\"");

        upload(user, "").expectStatus().isAccepted();
        assertThat(tus.create(user, 10L, Map.of("filename", "normal.txt")).statusCode()).isEqualTo(201);
        assertThat(tus.patch(ongoing, user, 0, file).statusCode()).as("an upload begun before goes on")
                .isEqualTo(204);
        assertThat(gauge()).isEqualTo("1.0");
    }

    private WebTestClient.ResponseSpec set(Map<String, Object> body) {
        return client.put().uri("/api/v1/admin/service-level")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec upload(String token, String query) {
        return client.post().uri("/api/v1/uploads" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .body(BodyInserters.fromMultipartData(textFile().build()))
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private static String jobIdOf(WebTestClient.ResponseSpec accepted) {
        Map<String, Object> body = accepted.expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((List<Map<String, Object>>) body.get("jobs")).get(0).get("jobId");
    }

    private static MultipartBodyBuilder textFile() {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(500)).filename("notes.txt").contentType(MediaType.TEXT_PLAIN);
        return body;
    }

    /** The {@code spool_service_level} sample of this instance. */
    private String gauge() {
        String metrics = client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return metrics.lines().filter(line -> line.startsWith("spool_service_level "))
                .map(line -> line.substring("spool_service_level ".length())).findFirst().orElse("absent");
    }
}
