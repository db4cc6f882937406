package dev.spool.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spool.infra.FreePorts;
import dev.spool.infra.kafka.KafkaBroker;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import java.io.IOException;
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

        broker = KafkaBroker.start(LOG_DIR, PORT, CONTROLLER_PORT);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                upload(user, "after.pdf").expectStatus().isAccepted());

        assertThat(JobEventsProbe.acceptedFor(broker.bootstrapServers(), user))
                .extracting(accepted -> accepted.filename())
                .contains("before.pdf", "after.pdf")
                .doesNotContain("during.pdf");
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
