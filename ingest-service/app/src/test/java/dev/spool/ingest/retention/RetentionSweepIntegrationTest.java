package dev.spool.ingest.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.ingest.JobEventsProbe;
import dev.spool.ingest.StoredViews;
import dev.spool.ingest.TestInfra;
import dev.spool.ingest.auth.JwtIssuer;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.deletion.JobDeletions;
import dev.spool.ingest.jobs.JobViewStore;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.event.Priority;
import dev.spool.schemas.storage.JobObjects;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import dev.spool.testsupport.SharedInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retention against the real servers (S3Proxy, MongoDB wire server, Kafka): a sweep removes what outlived its
 * retention and keeps what did not. Each test builds its own sweeper with the retention and clock it needs, so that
 * the data of other tests in the shared servers is outside every cutoff.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetentionSweepIntegrationTest {

    private static final String SECRET = JwtIssuer.randomSecret();
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @Autowired
    private S3AsyncClient s3;
    @Autowired
    private MongoClient mongo;
    @Autowired
    private StorageProperties storage;
    @Autowired
    private JobViewStore views;
    @Autowired
    private JobDeletions deletions;
    @Autowired
    private ExpiredObjects objects;
    @Autowired
    private ExpiredDeadLetters deadLetters;
    @Autowired
    private BucketLifecycle lifecycle;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        TestInfra.register(registry, SECRET);
    }

    @Test
    void expiredJobsAreDeletedWithTheirFilesAndExpiredDeadLettersLeaveTheIndexFreshOnesStay() {
        String expired = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        for (String job : new String[] {expired, fresh}) {
            put(storage.uploadBucket(), JobObjects.uploadKey(job));
            put(storage.textBucket(), JobObjects.textKey(job));
        }
        StoredViews.insert(mongo, completedView(expired, LONG_AGO));
        StoredViews.insert(mongo, completedView(fresh, LONG_AGO.plus(Duration.ofHours(36))));
        String oldLetter = insertDeadLetter(LONG_AGO);
        String newLetter = insertDeadLetter(LONG_AGO.plus(Duration.ofHours(36)));
        RetentionSweeper sweeper = sweeper(new RetentionProperties(null, null, DAY, DAY, Duration.ofHours(1), 100,
                false), LONG_AGO.plus(Duration.ofDays(2)));

        Map<RetentionSweeper.Kind, Integer> removed = sweeper.sweepOnce().block(Duration.ofSeconds(60));

        assertThat(removed).containsEntry(RetentionSweeper.Kind.JOBS, 1)
                .containsEntry(RetentionSweeper.Kind.DEAD_LETTERS, 1)
                .containsEntry(RetentionSweeper.Kind.ORIGINALS, 0).containsEntry(RetentionSweeper.Kind.TEXTS, 0);
        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(expired))).isFalse();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(expired))).isFalse();
        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(fresh))).isTrue();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(fresh))).isTrue();
        assertThat(JobEventsProbe.deletedJobs(SharedInfra.get().kafkaBootstrapServers()))
                .contains(expired).doesNotContain(fresh);
        assertThat(deadLetter(oldLetter)).isNull();
        assertThat(deadLetter(newLetter)).isNotNull();
    }

    @Test
    void objectsOlderThanTheirRetentionAreSweptWhereTheStoreRefusesLifecycleRulesAndNewerOnesStay() {
        String oldJob = UUID.randomUUID().toString();
        String newJob = UUID.randomUUID().toString();
        put(storage.uploadBucket(), JobObjects.uploadKey(oldJob));
        put(storage.textBucket(), JobObjects.textKey(oldJob));
        Instant oldWritten = lastModified(storage.textBucket(), JobObjects.textKey(oldJob))
                .isAfter(lastModified(storage.uploadBucket(), JobObjects.uploadKey(oldJob)))
                ? lastModified(storage.textBucket(), JobObjects.textKey(oldJob))
                : lastModified(storage.uploadBucket(), JobObjects.uploadKey(oldJob));
        // S3 times have a second's resolution: write the newer objects until the store dates them after the old ones.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            put(storage.uploadBucket(), JobObjects.uploadKey(newJob));
            put(storage.textBucket(), JobObjects.textKey(newJob));
            return lastModified(storage.uploadBucket(), JobObjects.uploadKey(newJob)).isAfter(oldWritten)
                    && lastModified(storage.textBucket(), JobObjects.textKey(newJob)).isAfter(oldWritten);
        });
        RetentionSweeper sweeper = sweeper(new RetentionProperties(DAY, DAY, null, null, Duration.ofHours(1), 1000,
                true), oldWritten.plus(DAY).plusMillis(1));

        sweeper.applyLifecycleRules().block(Duration.ofSeconds(30));
        Map<RetentionSweeper.Kind, Integer> removed = sweeper.sweepOnce().block(Duration.ofSeconds(60));

        assertThat(removed.get(RetentionSweeper.Kind.ORIGINALS)).isPositive();
        assertThat(removed.get(RetentionSweeper.Kind.TEXTS)).isPositive();
        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(oldJob))).isFalse();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(oldJob))).isFalse();
        assertThat(exists(storage.uploadBucket(), JobObjects.uploadKey(newJob))).isTrue();
        assertThat(exists(storage.textBucket(), JobObjects.textKey(newJob))).isTrue();
    }

    @Test
    void s3ProxyRefusesLifecycleRulesAndThatIsDetectedNotThrown() {
        assertThat(lifecycle.expire(storage.uploadBucket(), JobObjects.UPLOAD_PREFIX, DAY).block(Duration.ofSeconds(30)))
                .isFalse();
    }

    private RetentionSweeper sweeper(RetentionProperties retention, Instant now) {
        return new RetentionSweeper(retention, storage, views, deletions, objects, deadLetters, lifecycle,
                new SimpleMeterRegistry(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static JobView completedView(String jobId, Instant createdAt) {
        return new JobView(jobId, "retention-user", "old.txt", 3L, "ab".repeat(32), "text/plain", Priority.NORMAL,
                JobStatus.COMPLETED, null, 100, 1, false, createdAt, createdAt, createdAt.plusSeconds(1), 5L, null,
                null, 3, createdAt.plusSeconds(1));
    }

    private String insertDeadLetter(Instant failedAt) {
        String id = "retention-test-" + UUID.randomUUID();
        Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION)
                .insertOne(new Document(DeadLetterStorage.ID, id)
                        .append(DeadLetterStorage.JOB_ID, UUID.randomUUID().toString())
                        .append(DeadLetterStorage.STATUS, "dead")
                        .append(DeadLetterStorage.FAILED_AT, Date.from(failedAt))))
                .block(Duration.ofSeconds(10));
        return id;
    }

    private Document deadLetter(String id) {
        return Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION)
                .find(Filters.eq(DeadLetterStorage.ID, id)).first()).block(Duration.ofSeconds(10));
    }

    private void put(String bucket, String key) {
        s3.putObject(request -> request.bucket(bucket).key(key), AsyncRequestBody.fromString("kept for a while"))
                .join();
    }

    private Instant lastModified(String bucket, String key) {
        return s3.headObject(request -> request.bucket(bucket).key(key)).join().lastModified();
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
