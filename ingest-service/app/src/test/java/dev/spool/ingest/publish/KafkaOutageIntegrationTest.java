package dev.spool.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.net.FreePorts;
import dev.spool.infra.kafka.KafkaBroker;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The invariant "a job exists if and only if its acceptance was acknowledged", with Kafka stopped: the upload is
 * refused with 503, its stored object is removed, and once the broker is back uploads succeed without a restart.
 * The test runs its own broker so that stopping it disturbs no other test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.publish-timeout=3s"
})
@AutoConfigureWebTestClient(timeout = "60s")
class KafkaOutageIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final int PORT = FreePorts.resolve(0);
    private static final int CONTROLLER_PORT = FreePorts.resolve(0);
    private static final Path LOG_DIR = tempDir();
    private static KafkaBroker broker = KafkaBroker.start(LOG_DIR, PORT, CONTROLLER_PORT);

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @Autowired
    private S3AsyncClient s3;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
        registry.add("spring.kafka.bootstrap-servers", broker::bootstrapServers);
    }

    @AfterAll
    static void stopBroker() throws IOException {
        broker.close();
        try (Stream<Path> files = Files.walk(LOG_DIR)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void kafkaDownIs503WithNoObjectLeftAndKafkaBackAcceptsUploadsWithoutARestart() throws Exception {
        String user = "user-" + UUID.randomUUID();
        upload(user, "before.pdf").expectStatus().isAccepted();

        broker.close();
        Set<String> objectsBefore = objects();
        upload(user, "during.pdf")
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.code").isEqualTo("publish_failed");
        assertThat(objects()).as("no orphan object of the refused upload").isEqualTo(objectsBefore);
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.components.kafka.status").isEqualTo("DOWN");

        broker = KafkaBroker.start(LOG_DIR, PORT, CONTROLLER_PORT);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                upload(user, "after.pdf").expectStatus().isAccepted());
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.kafka.status").isEqualTo("UP");

        assertThat(JobEventsProbe.acceptedFor(broker.bootstrapServers(), user))
                .extracting(accepted -> accepted.filename())
                .contains("before.pdf", "after.pdf")
                .doesNotContain("during.pdf");
    }

    @Test
    void aResumableUploadFinishedWhileKafkaIsDownBecomesOneJobWhenItsLastRequestIsRetried() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String token = ISSUER.user(user);
        byte[] file = SampleFiles.pdf("resumable outage");
        HttpClient http = HttpClient.newHttpClient();
        String url = http.send(tus(URI.create("http://localhost:" + port + "/api/v1/tus/"), token)
                .header("Upload-Length", Integer.toString(file.length))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding())
                .headers().firstValue("Location").orElseThrow();

        broker.close();
        HttpResponse<String> refused = http.send(lastPatch(url, token, 0, file), BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"publish_failed\"");
        assertThat(refused.headers().firstValue(HttpHeaders.RETRY_AFTER)).isPresent();

        broker = KafkaBroker.start(LOG_DIR, PORT, CONTROLLER_PORT);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(http.send(lastPatch(url, token, file.length, new byte[0]), BodyHandlers.ofString())
                        .statusCode()).isEqualTo(204));
        HttpResponse<String> repeated = http.send(lastPatch(url, token, file.length, new byte[0]),
                BodyHandlers.ofString());
        HttpResponse<Void> head = http.send(tus(URI.create(url), token).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());

        String jobId = url.substring(url.lastIndexOf('/') + 1);
        assertThat(repeated.headers().firstValue("Spool-Job-Id")).contains(jobId);
        assertThat(head.headers().firstValue("Upload-Offset")).contains(Integer.toString(file.length));
        assertThat(head.headers().firstValue("Spool-Job-Id")).contains(jobId);
        assertThat(JobEventsProbe.acceptedFor(broker.bootstrapServers(), user)).singleElement()
                .satisfies(job -> assertThat(job.jobId()).isEqualTo(jobId));
    }

    private static HttpRequest lastPatch(String url, String token, long offset, byte[] bytes) {
        return tus(URI.create(url), token)
                .header("Upload-Offset", Long.toString(offset))
                .header("Content-Type", "application/offset+octet-stream")
                .timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
    }

    private static HttpRequest.Builder tus(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Tus-Resumable", "1.0.0").header("Authorization", "Bearer " + token);
    }

    private WebTestClient.ResponseSpec upload(String user, String filename) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", SampleFiles.pdf("outage " + filename)).filename(filename);
        return client.post().uri("/api/v1/uploads")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ISSUER.user(user))
                .body(BodyInserters.fromMultipartData(body.build()))
                .exchange();
    }

    private Set<String> objects() throws Exception {
        Set<String> keys = new HashSet<>();
        s3.listObjectsV2Paginator(r -> r.bucket("spool-uploads")).subscribe(page -> page.contents().stream()
                .map(S3Object::key).forEach(keys::add)).get();
        return keys;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("spool-kafka-outage-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
