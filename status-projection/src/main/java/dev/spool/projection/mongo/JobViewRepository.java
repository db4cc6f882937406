package dev.spool.projection.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The durable job views in MongoDB. The projection is their only writer; every write is a read-fold-write guarded
 * on the stored version, so two writers racing on one job (for a moment during a rebalance) never lose an update:
 * the loser reads again and folds again.
 */
public final class JobViewRepository {

    /** Lost races in a row before the write counts as failed; each one means another writer made progress. */
    private static final int MAX_LOST_RACES = 10;

    private final MongoCollection<Document> jobs;

    public JobViewRepository(MongoClient client) {
        this.jobs = client.getDatabase(ViewStorage.MONGO_DATABASE)
                .getCollection(ViewStorage.JOBS_COLLECTION)
                .withWriteConcern(WriteConcern.MAJORITY);
    }

    /** Creates the indexes that job listings use (by owner, by status; newest first); a no-op when they exist. */
    public Mono<Void> createIndexes() {
        return Flux.from(jobs.createIndexes(List.of(
                        newestFirst(ViewStorage.FIELD_OWNER, "owner_newest_first"),
                        newestFirst(ViewStorage.FIELD_STATUS, "status_newest_first"))))
                .then();
    }

    private static IndexModel newestFirst(String field, String name) {
        return new IndexModel(
                Indexes.compoundIndex(Indexes.ascending(field), Indexes.descending(ViewStorage.FIELD_CREATED_AT)),
                new IndexOptions().name(name));
    }

    /** Removes every stored view and the collection's indexes; for a rebuild from the topics. */
    public Mono<Void> dropAll() {
        return Mono.from(jobs.drop()).then();
    }

    /** The stored view of a job, or empty. */
    public Mono<JobView> find(String jobId) {
        return Mono.from(jobs.find(Filters.eq(JobViewDocuments.ID, jobId)).first()).map(JobViewDocuments::toView);
    }

    /**
     * Applies {@code fold} to the stored view of {@code jobId} (or to {@code null}) and stores the result when it is a
     * new view: inserted when the job had none, otherwise replaced only if the stored version is still the one read.
     * A lost race reads again and folds again; {@code fold} must therefore be free of side effects.
     */
    public Mono<ViewChange> update(String jobId, UnaryOperator<JobView> fold) {
        return Mono.defer(() -> find(jobId)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .flatMap(stored -> write(jobId, stored.orElse(null), fold)))
                .retryWhen(Retry.max(MAX_LOST_RACES).filter(LostRace.class::isInstance));
    }

    private Mono<ViewChange> write(String jobId, JobView before, UnaryOperator<JobView> fold) {
        JobView after = fold.apply(before);
        if (after == before) {
            return Mono.just(new ViewChange(before, after));
        }
        if (!jobId.equals(after.jobId())) {
            return Mono.error(new IllegalStateException("fold of job " + jobId + " produced a view of " + after.jobId()));
        }
        Document document = JobViewDocuments.toDocument(after);
        Mono<?> written = before == null ? insert(jobId, document) : replace(before, document);
        return written.thenReturn(new ViewChange(before, after));
    }

    private Mono<?> insert(String jobId, Document document) {
        return Mono.from(jobs.insertOne(document))
                .onErrorMap(JobViewRepository::isDuplicateKey, e -> new LostRace(jobId, 0));
    }

    private Mono<?> replace(JobView before, Document document) {
        return Mono.from(jobs.replaceOne(Filters.and(
                        Filters.eq(JobViewDocuments.ID, before.jobId()),
                        Filters.eq(ViewStorage.FIELD_VERSION, before.version())), document))
                .flatMap(result -> result.getMatchedCount() == 1
                        ? Mono.just(result)
                        : Mono.error(new LostRace(before.jobId(), before.version())));
    }

    private static boolean isDuplicateKey(Throwable error) {
        return error instanceof MongoWriteException write && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }

    /** Another writer stored a version of the job after this one read it. */
    private static final class LostRace extends RuntimeException {

        private static final long serialVersionUID = 1L;

        LostRace(String jobId, long version) {
            super("job " + jobId + " changed after version " + version + " was read", null, false, false);
        }
    }
}
