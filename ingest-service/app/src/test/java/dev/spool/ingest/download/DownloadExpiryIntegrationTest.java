package dev.spool.ingest.download;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** A download URL is a credential that runs out: once its expiry has passed, S3 itself refuses it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spool.ingest.downloads.expiry=2s")
@AutoConfigureWebTestClient
class DownloadExpiryIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);

    @Autowired
    private WebTestClient client;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void theUrlWorksUntilItsExpiryAndS3RefusesItAfter() throws Exception {
        byte[] file = "Short-lived\n".getBytes(StandardCharsets.UTF_8);
        String token = ISSUER.user("ivy");
        String jobId = DownloadIntegrationTest.upload(client, token, file, "brief.txt");

        JsonNode link = client.get().uri("/api/v1/jobs/{id}/original?redirect=false", jobId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        URI url = URI.create(link.get("url").asString());
        Instant expiresAt = Instant.parse(link.get("expiresAt").asString());

        assertThat(url.getQuery()).matches(".*X-Amz-Expires=2(&.*)?");
        assertThat(DownloadIntegrationTest.fetch(url).body()).as("fetched at once").isEqualTo(file);
        // S3 judges expiry in whole seconds from the signing time; a second past the expiry is past it everywhere.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt.plusSeconds(1)).toMillis()));
        HttpResponse<byte[]> late = DownloadIntegrationTest.fetch(url);
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(new String(late.body(), StandardCharsets.UTF_8)).contains("AccessDenied");
    }
}
