package dev.spool.ingest.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.StoredViews;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.event.ExtractionResult;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.storage.JobObjects;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Ingest's part of a deletion against the real servers: the owner's {@code DELETE} removes the job's files (where
 * they always are and where its result says), its dead-letter index entries, and commits its {@code deleted} fact;
 * another user's {@code DELETE} is a 404 that removes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobDeletionIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET);

    @LocalServerPort
    private int port;
    @Autowired
    private S3AsyncClient s3;
    @Autowired
    private MongoClient mongo;
    @Autowired
    private StorageProperties storage;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void theOwnersDeleteRemovesFilesDeadLettersAndCommitsTheFactAnotherUsersRemovesNothing() {
        String owner = "owner-" + UUID.randomUUID();
        String job = UUID.randomUUID().toString();
        String elsewhere = "older/" + job + ".txt.gz";
        put(storage.uploadBucket(), JobObjects.uploadKey(job));
        put(storage.textBucket(), JobObjects.textKey(job));
        put(storage.textBucket(), elsewhere);
        StoredViews.insert(mongo, completedView(job, owner, elsewhere));
        String letter = insertDeadLetter(job);
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();

        client.delete().uri("/api/v1/jobs/{id}", job).headers(h -> h.setBearerAuth(ISSUER.user("someone-else")))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("job_not_found");
        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(job))).isTrue();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(job))).isTrue();
        assertThat(deadLetter(letter)).isNotNull();
        assertThat(JobEventsProbe.deletedJobs(SharedInfra.get().kafkaBootstrapServers())).doesNotContain(job);

        client.delete().uri("/api/v1/jobs/{id}", job).headers(h -> h.setBearerAuth(ISSUER.user(owner)))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.ACCEPTED);

        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(job))).isFalse();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(job))).isFalse();
        assertThat(exists(storage.textBucket(), elsewhere)).isFalse();
        assertThat(deadLetter(letter)).isNull();
        assertThat(JobEventsProbe.deletedJobs(SharedInfra.get().kafkaBootstrapServers())).contains(job);
    }

    private static JobView completedView(String jobId, String owner, String textKey) {
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        ExtractionResult result = new ExtractionResult("text/plain", 1, 10, 2, "en", null, null, "spool-text",
                textKey, null, null, Map.of(), "gzip");
        return new JobView(jobId, owner, "notes.txt", 3L, "ab".repeat(32), "text/plain", Priority.NORMAL,
                JobStatus.COMPLETED, null, 100, 1, false, at, at, at.plusSeconds(1), 5L, result, null, 3,
                at.plusSeconds(1));
    }

    private String insertDeadLetter(String jobId) {
        String id = "deletion-test-" + UUID.randomUUID();
        Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION)
                .insertOne(new Document(DeadLetterStorage.ID, id)
                        .append(DeadLetterStorage.JOB_ID, jobId)
                        .append(DeadLetterStorage.STATUS, "dead")
                        .append(DeadLetterStorage.FAILED_AT, new Date())))
                .block(Duration.ofSeconds(10));
        return id;
    }

    private Document deadLetter(String id) {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION)
                .find(Filters.eq(DeadLetterStorage.ID, id)).first()).block(Duration.ofSeconds(10));
    }

    private void put(String bucket, String key) {
        s3.putObject(request -> request.bucket(bucket).key(key), AsyncRequestBody.fromString("to be deleted"))
                .join();
    }

    private boolean exists(String bucket, String key) {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key)).join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchKeyException
                    || e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
