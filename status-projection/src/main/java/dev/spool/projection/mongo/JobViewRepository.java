package dev.spool.projection.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The durable job views in MongoDB. The projection is their only writer; every write is a read-fold-write guarded
 * on the stored version, so two writers racing on one job (for a moment during a rebalance) never lose an update:
 * the loser reads again and folds again. A batch of jobs is read with one query and written with one bulk write.
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

    /** The stored views of {@code jobIds}, by job id, read with one query; a job without a view is missing. */
    public Mono<Map<String, JobView>> findAll(Collection<String> jobIds) {
        return Flux.from(jobs.find(Filters.in(JobViewDocuments.ID, jobIds)))
                .map(JobViewDocuments::toView)
                .collectMap(JobView::jobId);
    }

    /**
     * The batch form of {@link #update}: reads the stored views of all the jobs with one query, applies each job's
     * fold and stores every new view with one unordered bulk write, each write guarded like {@link #update}'s. The
     * jobs that lost a race are read, folded and written again, together; the others stay written.
     *
     * @param folds each job's fold, by job id; like {@link #update}'s, free of side effects
     * @return what changed, by job id
     */
    public Mono<Map<String, ViewChange>> updateAll(Map<String, UnaryOperator<JobView>> folds) {
        return Mono.defer(() -> updateAll(folds, new LinkedHashMap<>(), 0));
    }

    private Mono<Map<String, ViewChange>> updateAll(Map<String, UnaryOperator<JobView>> folds,
            Map<String, ViewChange> done, int lostRaces) {
        return findAll(folds.keySet())
                .flatMap(stored -> writeAll(fold(folds, stored)))
                .flatMap(round -> {
                    round.changes().forEach((jobId, change) -> {
                        if (!round.lost().contains(jobId)) {
                            done.put(jobId, change);
                        }
                    });
                    if (round.lost().isEmpty()) {
                        return Mono.just(done);
                    }
                    if (lostRaces + 1 >= MAX_LOST_RACES) {
                        return Mono.error(new IllegalStateException("the views of jobs " + round.lost()
                                + " changed under " + MAX_LOST_RACES + " attempts to write them"));
                    }
                    Map<String, UnaryOperator<JobView>> again = new LinkedHashMap<>();
                    round.lost().forEach(jobId -> again.put(jobId, folds.get(jobId)));
                    return updateAll(again, done, lostRaces + 1);
                });
    }

    private static Map<String, ViewChange> fold(Map<String, UnaryOperator<JobView>> folds, Map<String, JobView> stored) {
        Map<String, ViewChange> changes = new LinkedHashMap<>();
        folds.forEach((jobId, fold) -> {
            JobView before = stored.get(jobId);
            JobView after = fold.apply(before);
            if (after != before && !jobId.equals(after.jobId())) {
                throw new IllegalStateException("fold of job " + jobId + " produced a view of " + after.jobId());
            }
            changes.put(jobId, new ViewChange(before, after));
        });
        return changes;
    }

    /** Writes the changed views; a guard that missed shows as a duplicate key, for that write alone. */
    private Mono<BulkRound> writeAll(Map<String, ViewChange> changes) {
        List<String> written = new ArrayList<>();
        List<WriteModel<Document>> writes = new ArrayList<>();
        changes.forEach((jobId, change) -> {
            if (change.changed()) {
                written.add(jobId);
                writes.add(guardedWrite(change));
            }
        });
        if (writes.isEmpty()) {
            return Mono.just(new BulkRound(changes, List.of()));
        }
        return Mono.from(jobs.bulkWrite(writes, new BulkWriteOptions().ordered(false)))
                .thenReturn(new BulkRound(changes, List.<String>of()))
                .onErrorResume(JobViewRepository::onlyLostRaces, e -> {
                    List<String> lost = new ArrayList<>();
                    for (BulkWriteError error : ((MongoBulkWriteException) e).getWriteErrors()) {
                        lost.add(written.get(error.getIndex()));
                    }
                    return Mono.just(new BulkRound(changes, lost));
                });
    }

    /**
     * An insert for a new job, as in {@link #update}; otherwise an upsert on the version read, which, when another
     * writer stored a newer version meanwhile, matches nothing and so fails as a duplicate of the stored job id.
     */
    private static WriteModel<Document> guardedWrite(ViewChange change) {
        Document document = JobViewDocuments.toDocument(change.after());
        if (change.before() == null) {
            return new InsertOneModel<>(document);
        }
        return new ReplaceOneModel<>(Filters.and(
                        Filters.eq(JobViewDocuments.ID, change.before().jobId()),
                        Filters.eq(ViewStorage.FIELD_VERSION, change.before().version())),
                document, new ReplaceOptions().upsert(true));
    }

    private static boolean onlyLostRaces(Throwable error) {
        return error instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() == null
                && bulk.getWriteErrors().stream()
                        .allMatch(e -> ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY);
    }

    /** One bulk write: what each job's fold gave, and the jobs whose write lost a race and must be done again. */
    private record BulkRound(Map<String, ViewChange> changes, List<String> lost) {
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
