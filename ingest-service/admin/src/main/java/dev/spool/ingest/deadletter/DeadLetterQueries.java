package dev.spool.ingest.deadletter;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.ingest.jobs.JobCursor;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.schemas.deadletter.DeadLetter;
import dev.spool.schemas.deadletter.DeadLetterDocuments;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.deadletter.DeadLetterStorage.Status;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The dead-letter index in MongoDB as the admin API uses it: listing, and the state changes of replay and purge.
 * Every change is one conditional update from {@code dead}, so two operators (or one clicking twice) can never
 * replay or purge an entry twice. MongoDB failures become {@code status_unavailable}.
 */
@Component
public class DeadLetterQueries {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MongoCollection<Document> entries;

    public DeadLetterQueries(MongoClient mongo) {
        this.entries = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION);
    }

    /** A page of the listing, newest first, and the cursor of the next page (or {@code null}). */
    public record Page(List<DeadLetter> entries, JobCursor next) {
    }

    /** Up to {@code limit} entries matching {@code filter}, newest first, after {@code after}. */
    public Mono<Page> list(DeadLetterFilter filter, JobCursor after, int limit) {
        Bson query = filter.toBson();
        if (after != null) {
            Date at = Date.from(after.createdAt());
            query = Filters.and(query, Filters.or(Filters.lt(DeadLetterStorage.FAILED_AT, at),
                    Filters.and(Filters.eq(DeadLetterStorage.FAILED_AT, at), Filters.lt(DeadLetterStorage.ID,
                            after.jobId()))));
        }
        return call(Flux.from(entries.find(query)
                        .sort(Sorts.descending(DeadLetterStorage.FAILED_AT, DeadLetterStorage.ID))
                        .limit(limit + 1))
                .map(DeadLetterDocuments::read)
                .collectList())
                .map(found -> {
                    if (found.size() <= limit) {
                        return new Page(found, null);
                    }
                    List<DeadLetter> page = found.subList(0, limit);
                    DeadLetter last = page.get(limit - 1);
                    return new Page(page, new JobCursor(last.failedAt(), last.id()));
                });
    }

    /** The entries with these ids, in any state; missing ids are simply absent. */
    public Flux<DeadLetter> byIds(List<String> ids) {
        return call(Flux.from(entries.find(Filters.in(DeadLetterStorage.ID, ids))).map(DeadLetterDocuments::read)
                        .collectList())
                .flatMapMany(Flux::fromIterable);
    }

    /** Up to {@code max} entries matching {@code filter}, oldest first, so a batch works through a backlog in order. */
    public Flux<DeadLetter> matching(DeadLetterFilter filter, int max) {
        return call(Flux.from(entries.find(filter.toBson())
                        .sort(Sorts.ascending(DeadLetterStorage.FAILED_AT, DeadLetterStorage.ID))
                        .limit(max))
                .map(DeadLetterDocuments::read)
                .collectList())
                .flatMapMany(Flux::fromIterable);
    }

    /**
     * Moves a {@code dead} entry to {@code replayed}, counting the replay; with {@code maxReplays}, only while it was
     * replayed fewer times than that. Empty when the entry was not in that state (anymore).
     */
    public Mono<DeadLetter> claimReplay(String id, Integer maxReplays, String by, Instant at) {
        Bson dead = Filters.and(Filters.eq(DeadLetterStorage.ID, id),
                Filters.eq(DeadLetterStorage.STATUS, Status.DEAD.wireName()));
        Bson query = maxReplays == null ? dead : Filters.and(dead, Filters.lt(DeadLetterStorage.REPLAY_COUNT, maxReplays));
        return call(Mono.from(entries.findOneAndUpdate(query, Updates.combine(
                        Updates.set(DeadLetterStorage.STATUS, Status.REPLAYED.wireName()),
                        Updates.inc(DeadLetterStorage.REPLAY_COUNT, 1),
                        Updates.set(DeadLetterStorage.LAST_REPLAYED_AT, Date.from(at)),
                        Updates.set(DeadLetterStorage.LAST_REPLAYED_BY, by)),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))).map(DeadLetterDocuments::read));
    }

    /** Undoes {@link #claimReplay} when the replay could not be published. */
    public Mono<Void> releaseReplay(String id) {
        return call(Mono.from(entries.updateOne(Filters.and(Filters.eq(DeadLetterStorage.ID, id),
                        Filters.eq(DeadLetterStorage.STATUS, Status.REPLAYED.wireName())),
                Updates.combine(Updates.set(DeadLetterStorage.STATUS, Status.DEAD.wireName()),
                        Updates.inc(DeadLetterStorage.REPLAY_COUNT, -1))))).then();
    }

    /** Moves a {@code dead} entry to {@code purged}; {@code false} when it was not dead. */
    public Mono<Boolean> purge(String id) {
        return call(Mono.from(entries.updateOne(Filters.and(Filters.eq(DeadLetterStorage.ID, id),
                        Filters.eq(DeadLetterStorage.STATUS, Status.DEAD.wireName())),
                Updates.set(DeadLetterStorage.STATUS, Status.PURGED.wireName()))))
                .map(result -> result.getModifiedCount() == 1);
    }

    private static <T> Mono<T> call(Mono<T> operation) {
        return operation.timeout(TIMEOUT)
                .onErrorMap(e -> e instanceof MongoException || e instanceof TimeoutException,
                        e -> new SpoolProblem(ProblemCode.STATUS_UNAVAILABLE, "The dead-letter index cannot be read "
                                + "right now; try again after the Retry-After delay.", e));
    }
}
