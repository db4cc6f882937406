package dev.spool.ingest.ratelimit;

import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** The upload rate limit over HTTP: RateLimit headers on every upload, then 429 with Retry-After. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ratelimit.per-user.capacity=2",
    "spool.ratelimit.per-user.refill-tokens=2",
    "spool.ratelimit.per-user.refill-period=1h",
    "spool.ratelimit.per-ip.capacity=1000000",
    "spool.ratelimit.per-ip.refill-tokens=1000000"
})
@AutoConfigureWebTestClient(timeout = "30s")
class UploadRateLimitFilterTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void uploadsCarryRateLimitHeadersUntilTheBurstIsSpentThenGet429WithRetryAfter() {
        String bearer = "Bearer " + ISSUER.user("user-" + UUID.randomUUID());

        for (int remaining = 1; remaining >= 0; remaining--) {
            upload(bearer)
                    .expectStatus().isAccepted()
                    .expectHeader().valueEquals(UploadRateLimitFilter.LIMIT, "2")
                    .expectHeader().valueEquals(UploadRateLimitFilter.REMAINING, Integer.toString(remaining))
                    .expectHeader().valueEquals(UploadRateLimitFilter.POLICY, "2;w=3600")
                    .expectHeader().exists(UploadRateLimitFilter.RESET);
        }
        upload(bearer)
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().valueEquals(UploadRateLimitFilter.LIMIT, "2")
                .expectHeader().valueEquals(UploadRateLimitFilter.REMAINING, "0")
                .expectHeader().valueEquals(UploadRateLimitFilter.POLICY, "2;w=3600")
                .expectBody()
                .jsonPath("$.code").isEqualTo("rate_limited")
                .jsonPath("$.retryAfterSeconds").isNumber();
    }

    @Test
    void readsAreNotLimited() {
        client.get().uri("/api/v1/jobs/{id}", UUID.randomUUID())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("user-" + UUID.randomUUID()))
                .exchange()
                .expectHeader().doesNotExist(UploadRateLimitFilter.LIMIT);
    }

    private WebTestClient.ResponseSpec upload(String bearer) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.text(1000)).filename("small.txt");
        return client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, bearer)
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }
}
