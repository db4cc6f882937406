package dev.spool.projection.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.testsupport.SharedInfra;
import dev.spool.projection.fold.JobViewFold;
import dev.spool.projection.fold.SampleEvents;
import dev.spool.schemas.event.JobEvent;
import dev.spool.schemas.event.Stage;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class JobViewRepositoryTest {

    private static MongoClient client;
    private static MongoClient otherWriter;
    private static JobViewRepository repository;

    private final JobViewFold fold = new JobViewFold();
    private final SampleEvents job = new SampleEvents("repo-" + UUID.randomUUID());
    private final SampleEvents other = new SampleEvents("repo-other-" + UUID.randomUUID());
    private final SampleEvents third = new SampleEvents("repo-third-" + UUID.randomUUID());

    @BeforeAll
    static void connect() {
        client = MongoClients.create(SharedInfra.get().mongoUri());
        otherWriter = MongoClients.create(SharedInfra.get().mongoUri());
        repository = new JobViewRepository(client);
    }

    @AfterAll
    static void disconnect() {
        client.close();
        otherWriter.close();
    }

    private static MongoCollection<Document> jobs(MongoClient mongo) {
        return mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION);
    }

    private UnaryOperator<JobView> folding(JobEvent event) {
        return current -> fold.apply(current, event);
    }

    @Test
    void aNewJobIsInsertedWithTheAgreedDocumentShape() {
        repository.update(job.jobId(), folding(job.accepted(0)))
                .as(StepVerifier::create)
                .assertNext(change -> {
                    assertThat(change.before()).isNull();
                    assertThat(change.after().status()).isEqualTo(JobStatus.QUEUED);
                    assertThat(change.after().version()).isEqualTo(1);
                })
                .verifyComplete();

        Document stored = Mono.from(jobs(client).find(new Document("_id", job.jobId())).first()).block();
        assertThat(stored.getString(ViewStorage.FIELD_OWNER)).isEqualTo("user-1");
        assertThat(stored.getString(ViewStorage.FIELD_STATUS)).isEqualTo("queued");
        assertThat(stored.get(ViewStorage.FIELD_CREATED_AT)).isEqualTo(Date.from(SampleEvents.at(0)));
        assertThat(stored.get(ViewStorage.FIELD_VERSION)).isEqualTo(1L);
        Document view = stored.get(ViewStorage.FIELD_VIEW, Document.class);
        assertThat(view.getString("jobId")).isEqualTo(job.jobId());
        assertThat(view.getString("status")).isEqualTo("queued");
        assertThat(view.getString("createdAt")).isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void aViewReadsBackExactlyAsItWasWritten() {
        JobView completed = fold.apply(fold.apply(fold.apply(null, job.accepted(0)), job.started(1, 1)),
                job.completed(1, 1, 9));
        JobView replayed = fold.apply(completed, job.replayed(1, 20));
        JobView deadLettered = fold.apply(fold.apply(replayed, job.started(1, 21)), job.deadLettered(1, 22));

        repository.update(job.jobId(), current -> completed).block();
        repository.find(job.jobId()).as(StepVerifier::create).expectNext(completed).verifyComplete();
        repository.update(job.jobId(), current -> deadLettered).block();
        repository.find(job.jobId()).as(StepVerifier::create).expectNext(deadLettered).verifyComplete();
    }

    @Test
    void aPhotosImagePartReadsBackExactlyAsItWasWritten() {
        JobView completed = fold.apply(fold.apply(fold.apply(null, job.accepted(0)), job.started(1, 1)),
                job.photoCompleted(1, 1, 2));

        repository.update(job.jobId(), current -> completed).block();

        repository.find(job.jobId()).as(StepVerifier::create).expectNext(completed).verifyComplete();
        assertThat(completed.result().image().gps().altitude()).isEqualTo(-1.5);
    }

    @Test
    void aFoldThatChangesNothingWritesNothing() {
        JobView accepted = repository.update(job.jobId(), folding(job.accepted(0))).block().after();

        repository.update(job.jobId(), folding(job.accepted(0)))
                .as(StepVerifier::create)
                .assertNext(change -> {
                    assertThat(change.changed()).isFalse();
                    assertThat(change.after()).isEqualTo(accepted);
                })
                .verifyComplete();
        repository.update(job.jobId(), folding(job.started(1, 1)))
                .as(StepVerifier::create)
                .assertNext(change -> assertThat(change.after().version()).isEqualTo(2))
                .verifyComplete();
    }

    @Test
    void aWriterThatLostTheRaceReadsAgainAndFoldsAgain() {
        repository.update(job.jobId(), folding(job.accepted(0))).block();
        JobViewRepository other = new JobViewRepository(otherWriter);
        AtomicInteger folds = new AtomicInteger();

        JobView after = repository.update(job.jobId(), current -> {
            if (folds.incrementAndGet() == 1) {
                // another writer stores version 2 between this writer's read and its write
                other.update(job.jobId(), folding(job.started(1, 1))).block();
            }
            return fold.apply(current, job.progress(1, Stage.EXTRACTING, 40, 2));
        }).block().after();

        assertThat(folds).hasValue(2);
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.startedAt()).isEqualTo(SampleEvents.at(1));
        assertThat(after.progress()).isEqualTo(40);
        repository.find(job.jobId()).as(StepVerifier::create).expectNext(after).verifyComplete();
    }

    @Test
    void concurrentWritersLoseNoUpdate() {
        JobView seed = fold.apply(null, job.accepted(0));
        UnaryOperator<JobView> countAttempt = current -> {
            JobView base = current == null ? seed : current;
            return new JobView(base.jobId(), base.ownerId(), base.filename(), base.size(), base.sha256(), base.contentType(),
                    base.priority(), base.status(), base.stage(), base.progress(), base.attempts() + 1, base.deadLettered(),
                    base.createdAt(), base.startedAt(), base.completedAt(), base.processingMillis(), base.result(),
                    base.error(), current == null ? 1 : current.version() + 1, base.updatedAt());
        };

        Flux.range(0, 8).flatMap(i -> repository.update(job.jobId(), countAttempt), 8).blockLast();

        repository.find(job.jobId())
                .as(StepVerifier::create)
                .assertNext(view -> {
                    assertThat(view.attempts()).isEqualTo(8);
                    assertThat(view.version()).isEqualTo(8);
                })
                .verifyComplete();
    }

    @Test
    void aBatchStoresNewAndChangedViewsTogetherAndLeavesUnchangedOnesAlone() {
        JobView seeded = repository.update(job.jobId(), folding(job.accepted(0))).block().after();
        JobView untouched = repository.update(other.jobId(), folding(other.accepted(0))).block().after();
        Map<String, UnaryOperator<JobView>> folds = new LinkedHashMap<>();
        folds.put(job.jobId(), folding(job.started(1, 1)));
        folds.put(other.jobId(), folding(other.accepted(0)));
        folds.put(third.jobId(), folding(third.accepted(0)));

        Map<String, ViewChange> changes = repository.updateAll(folds).block();

        assertThat(changes).containsOnlyKeys(job.jobId(), other.jobId(), third.jobId());
        assertThat(changes.get(job.jobId())).isEqualTo(new ViewChange(seeded, fold.apply(seeded, job.started(1, 1))));
        assertThat(changes.get(other.jobId()).changed()).isFalse();
        assertThat(changes.get(third.jobId()).before()).isNull();
        assertThat(repository.findAll(List.of(job.jobId(), other.jobId(), third.jobId(), "no-such-job")).block())
                .containsOnly(Map.entry(job.jobId(), changes.get(job.jobId()).after()),
                        Map.entry(other.jobId(), untouched),
                        Map.entry(third.jobId(), changes.get(third.jobId()).after()));
    }

    @Test
    void theJobsThatLostARaceInABatchAreReadAndFoldedAgainWhileTheOthersStayWritten() {
        repository.update(job.jobId(), folding(job.accepted(0))).block();
        repository.update(other.jobId(), folding(other.accepted(0))).block();
        JobViewRepository otherWriter = new JobViewRepository(JobViewRepositoryTest.otherWriter);
        AtomicInteger jobFolds = new AtomicInteger();
        AtomicInteger otherFolds = new AtomicInteger();
        AtomicInteger thirdFolds = new AtomicInteger();
        Map<String, UnaryOperator<JobView>> folds = new LinkedHashMap<>();
        folds.put(job.jobId(), current -> {
            if (jobFolds.incrementAndGet() == 1) {
                // another writer stores version 2 between this writer's read and its bulk write
                otherWriter.update(job.jobId(), folding(job.started(1, 1))).block();
            }
            return fold.apply(current, job.progress(1, Stage.EXTRACTING, 40, 2));
        });
        folds.put(other.jobId(), current -> {
            otherFolds.incrementAndGet();
            return fold.apply(current, other.started(1, 1));
        });
        folds.put(third.jobId(), current -> {
            if (thirdFolds.incrementAndGet() == 1) {
                // and inserts a job this writer found missing
                otherWriter.update(third.jobId(), folding(third.accepted(0))).block();
            }
            return fold.apply(current, third.started(1, 1));
        });

        Map<String, ViewChange> changes = repository.updateAll(folds).block();

        assertThat(jobFolds).hasValue(2);
        assertThat(otherFolds).hasValue(1);
        assertThat(thirdFolds).hasValue(2);
        JobView jobAfter = changes.get(job.jobId()).after();
        assertThat(jobAfter.version()).isEqualTo(3);
        assertThat(jobAfter.startedAt()).isEqualTo(SampleEvents.at(1));
        assertThat(jobAfter.progress()).isEqualTo(40);
        assertThat(changes.get(other.jobId()).after().version()).isEqualTo(2);
        JobView thirdAfter = changes.get(third.jobId()).after();
        assertThat(thirdAfter.version()).isEqualTo(2);
        assertThat(thirdAfter.ownerId()).isEqualTo("user-1");
        assertThat(repository.findAll(folds.keySet()).block()).containsOnly(
                Map.entry(job.jobId(), jobAfter),
                Map.entry(other.jobId(), changes.get(other.jobId()).after()),
                Map.entry(third.jobId(), thirdAfter));
    }

    @Test
    void createsTheListingIndexesAndTheGuardIndex() {
        repository.createIndexes().block();
        repository.createIndexes().as(StepVerifier::create).verifyComplete();

        Flux.from(jobs(client).listIndexes())
                .filter(index -> !index.getString("name").equals("_id_"))
                .map(index -> index.get("key", Document.class).toJson())
                .collectList()
                .as(StepVerifier::create)
                .assertNext(keys -> assertThat(keys).containsExactlyInAnyOrder(
                        "{\"ownerId\": 1, \"createdAt\": -1}", "{\"status\": 1, \"createdAt\": -1}",
                        "{\"_id\": 1, \"version\": 1}"))
                .verifyComplete();
    }

    /**
     * The wire server uses an index only for a query on exactly its fields; a guard on other fields than the guard
     * index's, or one spelled as {@code $and}, would scan the whole collection on every write.
     */
    @Test
    void theGuardQueriesExactlyTheGuardIndexFields() {
        repository.createIndexes().block();
        JobView stored = repository.update(job.jobId(), folding(job.accepted(0))).block().after();

        Document guardIndexKeys = Flux.from(jobs(client).listIndexes())
                .filter(index -> index.getString("name").equals(JobViewRepository.GUARD_INDEX))
                .map(index -> index.get("key", Document.class))
                .blockFirst();

        assertThat(JobViewRepository.guard(stored).keySet()).containsExactlyElementsOf(guardIndexKeys.keySet());
        assertThat(Mono.from(jobs(client).countDocuments(JobViewRepository.guard(stored))).block()).isEqualTo(1);
    }
}
