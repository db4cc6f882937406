package dev.spool.ingest.tus;

import static dev.spool.ingest.tus.TusIntegrationTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.SampleFiles;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Expiry against the real servers: an abandoned upload with a stored part and a staged tail is swept (its S3
 * multipart upload aborted, the staging object and the record removed) while a live one is left alone. The
 * schedule is an hour here; the test runs sweeps itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spool.ingest.part-size=5MB", "spool.ingest.tus.expiration=3s", "spool.ingest.tus.sweep-interval=1h"})
class TusSweeperIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);
    private static final String BUCKET = "spool-uploads";
    private static final int MIB = 1024 * 1024;

    @LocalServerPort
    private int port;

    @Autowired
    private TusSweeper sweeper;

    @Autowired
    private S3AsyncClient s3;

    @Autowired
    private MongoClient mongo;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void anExpiredUploadIsDiscardedWithItsMultipartUploadAndAnActiveOneIsKept() throws Exception {
        String token = ISSUER.user("tus-" + UUID.randomUUID());
        TusClient tus = new TusClient(port);
        byte[] file = SampleFiles.text(12 * MIB);
        String abandoned = header(tus.create(token, (long) file.length, Map.of()), "Location");
        String id = abandoned.substring(abandoned.lastIndexOf('/') + 1);
        assertThat(tus.patch(abandoned, token, 0, Arrays.copyOf(file, 6 * MIB)).statusCode()).isEqualTo(204);
        String s3UploadId = record(id).getString("s3UploadId");
        assertThat(openMultipartUploads(id)).containsExactly(s3UploadId);
        assertThat(record(id).get("stagedBytes", Number.class).longValue()).isEqualTo(MIB);

        // Expired once its three seconds have passed: the service itself says so.
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> tus.head(abandoned, token).statusCode() == 410);
        String active = header(tus.create(token, (long) file.length, Map.of()), "Location");

        assertThat(sweeper.sweepOnce().block(Duration.ofSeconds(30))).isEqualTo(1);

        assertThat(record(id)).isNull();
        assertThat(openMultipartUploads(id)).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("tus-staging/" + id)).get().contents()).isEmpty();
        assertThat(tus.head(abandoned, token).statusCode()).isEqualTo(404);
        assertThat(tus.head(active, token).statusCode()).isEqualTo(200);
    }

    private Document record(String id) {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(TusUploadStore.COLLECTION)
                .find(Filters.eq("_id", id)).first()).block();
    }

    private List<String> openMultipartUploads(String id) throws Exception {
        return s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix("uploads/" + id)).get().uploads().stream()
                .map(upload -> upload.uploadId()).toList();
    }
}
