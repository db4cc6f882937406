package dev.spool.projection.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
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
import java.util.function.UnaryOperator;
import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The durable job views in MongoDB. The projection is their only writer; every write is a read-fold-write guarded
 * on the stored version, so two writers racing on one job (for a moment during a rebalance) never lose an update:
 * the loser reads again and folds again. A batch of jobs is read with one query and written with one bulk write.
 */
public final class JobViewRepository {

    /** Lost races in a row before the write counts as failed; each one means another writer made progress. */
    private static final int MAX_LOST_RACES = 10;

    /**
     * The index on exactly the guard's fields. MongoDB finds a guarded write's job by {@code _id} either way, but the
     * embedded wire server uses an index only for a query on exactly its fields and otherwise scans the collection:
     * without this one, every write of a view read the whole collection, and a backlog's batches outgrew the store
     * timeout once it held some tens of thousands of jobs.
     */
    static final String GUARD_INDEX = "guard_id_version";

    private final MongoCollection<Document> jobs;

    public JobViewRepository(MongoClient client) {
        this.jobs = client.getDatabase(ViewStorage.MONGO_DATABASE)
                .getCollection(ViewStorage.JOBS_COLLECTION)
                .withWriteConcern(WriteConcern.MAJORITY);
    }

    /**
     * Creates the indexes that job listings use (by owner, by status; newest first) and the one that guarded writes
     * find their job by; a no-op when they exist.
     */
    public Mono<Void> createIndexes() {
        return Flux.from(jobs.createIndexes(List.of(
                        newestFirst(ViewStorage.FIELD_OWNER, "owner_newest_first"),
                        newestFirst(ViewStorage.FIELD_STATUS, "status_newest_first"),
                        new IndexModel(Indexes.ascending(JobViewDocuments.ID, ViewStorage.FIELD_VERSION),
                                new IndexOptions().name(GUARD_INDEX).unique(true)))))
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
     * An insert for a new job, which fails as a duplicate key when another writer inserted it first; otherwise an
     * upsert on the version read, which, when another writer stored a newer version meanwhile, matches nothing and so
     * fails as a duplicate of the stored job id.
     */
    private static WriteModel<Document> guardedWrite(ViewChange change) {
        Document document = JobViewDocuments.toDocument(change.after());
        if (change.before() == null) {
            return new InsertOneModel<>(document);
        }
        return new ReplaceOneModel<>(guard(change.before()), document, new ReplaceOptions().upsert(true));
    }

    /** {@code {_id, version}} as one plain document, not {@code $and}, so that {@link #GUARD_INDEX} serves it. */
    static Document guard(JobView stored) {
        return new Document(JobViewDocuments.ID, stored.jobId()).append(ViewStorage.FIELD_VERSION, stored.version());
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
     * new view: {@link #updateAll} for one job.
     */
    public Mono<ViewChange> update(String jobId, UnaryOperator<JobView> fold) {
        return updateAll(Map.of(jobId, fold)).map(changes -> changes.get(jobId));
    }
}
