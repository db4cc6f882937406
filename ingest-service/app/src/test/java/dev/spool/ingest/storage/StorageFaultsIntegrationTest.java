package dev.spool.ingest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.InfraEndpoints;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.testsupport.SharedInfra;
import dev.spool.testsupport.fault.FaultInjectingProxy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * S3 failing under the ingest service, through a fault-injecting proxy in front of the real S3Proxy: transient
 * failures are retried away; persistent ones open the S3 breaker, which answers fast 503s without calling S3 and
 * closes again by itself once S3 is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.resilience.retry.max-attempts=4",
    "spool.resilience.retry.initial-backoff=20ms",
    "spool.resilience.retry.max-backoff=100ms",
    "spool.resilience.breaker.sliding-window-size=10",
    "spool.resilience.breaker.minimum-calls=5",
    "spool.resilience.breaker.wait-in-open=2s",
    "spool.resilience.breaker.half-open-calls=2",
    "spool.resilience.storage.call=1s"
})
@AutoConfigureWebTestClient(timeout = "60s")
class StorageFaultsIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final FaultInjectingProxy PROXY = startProxy();
    private static final String BUCKET = "spool-uploads";

    @Autowired
    private WebTestClient client;

    @Autowired
    private CircuitBreakerRegistry breakers;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
        registry.add("spool.storage.endpoint", PROXY::endpoint);
    }

    @AfterAll
    static void stopProxy() {
        PROXY.close();
    }

    @BeforeEach
    void healthyStorage() {
        PROXY.passThrough();
        breakers.circuitBreaker(Dependency.S3.breakerName()).reset();
    }

    @Test
    void s3AnsweringServiceUnavailableAFewTimesIsRetriedAndTheUploadSucceeds() {
        long faultsBefore = PROXY.injectedFaults();
        PROXY.failNext(2, 503);
        byte[] file = SampleFiles.pdf("faulty storage " + UUID.randomUUID());

        String jobId = acceptedJobId(upload(file));

        assertThat(PROXY.injectedFaults() - faultsBefore).isEqualTo(2);
        assertThat(storedSha256(jobId)).as("the stored object is the file sent").isEqualTo(sha256(file));
    }

    @Test
    void s3StallingIsTimedOutAndRetried() {
        long faultsBefore = PROXY.injectedFaults();
        PROXY.stallNext(1, Duration.ofSeconds(5));
        byte[] file = SampleFiles.pdf("stalled storage " + UUID.randomUUID());

        String jobId = acceptedJobId(upload(file));

        assertThat(PROXY.injectedFaults() - faultsBefore).isEqualTo(1);
        // A retry after a timeout sends the body again: a 202 alone would not show that S3 got all of it, once.
        assertThat(storedSha256(jobId)).as("the stored object is the file sent").isEqualTo(sha256(file));
    }

    @Test
    void s3FailingPersistentlyOpensTheBreakerForFast503sAndTheServiceRecoversByItself() {
        PROXY.failAll(503);
        CircuitBreaker breaker = breakers.circuitBreaker(Dependency.S3.breakerName());

        for (int i = 0; i < 3 && breaker.getState() != CircuitBreaker.State.OPEN; i++) {
            upload().expectStatus().isEqualTo(503)
                    .expectBody().jsonPath("$.code").isEqualTo("storage_unavailable");
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        long requestsBefore = PROXY.requests();
        upload().expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
                .expectBody().jsonPath("$.code").isEqualTo("storage_unavailable");
        assertThat(PROXY.requests()).as("an open breaker does not call S3").isEqualTo(requestsBefore);

        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(metrics -> assertThat(metrics)
                        .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"s3\"[^}]*state=\"open\"[^}]*} 1\\.0"));
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.s3.status").isEqualTo("DOWN");
        client.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.breakers.components.s3.status").isEqualTo("CIRCUIT_OPEN")
                .jsonPath("$.components.breakers.components.kafka.status").isEqualTo("UP");

        PROXY.passThrough();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> upload().expectStatus().isAccepted());
        assertThat(breaker.getState()).isIn(CircuitBreaker.State.CLOSED, CircuitBreaker.State.HALF_OPEN);
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec upload() {
        return upload(SampleFiles.pdf("faulty storage"));
    }

    private WebTestClient.ResponseSpec upload(byte[] file) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", file).filename("report.pdf");
        return client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user("user-" + UUID.randomUUID()))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private static String acceptedJobId(WebTestClient.ResponseSpec answer) {
        JsonNode body = answer.expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(body).isNotNull();
        return body.path("jobs").path(0).path("jobId").asText();
    }

    /** The stored upload's SHA-256, read from S3 itself rather than through the proxy. */
    private static String storedSha256(String jobId) {
        InfraEndpoints infra = SharedInfra.get();
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create(infra.s3Endpoint()))
                .region(Region.of(infra.s3Region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey())))
                .build()) {
            return sha256(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("uploads/" + jobId)).asByteArray());
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FaultInjectingProxy startProxy() {
        URI s3 = URI.create(SharedInfra.get().s3Endpoint());
        return FaultInjectingProxy.start(s3.getHost(), s3.getPort());
    }
}
