package dev.spool.projection.deadletter;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.deadletter.DeadLetterDocuments;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.view.ViewStorage;
import org.bson.Document;
import org.bson.conversions.Bson;
import reactor.core.publisher.Mono;

/**
 * Writes the dead-letter index. One consumer owns each partition of the topic and one job's records share a
 * partition, so an entry is only ever written by one thread; a record at or below the stored offset is a re-read and
 * changes nothing. A job dead-lettered again after a replay becomes {@code dead} again and keeps its replay count,
 * which only the admin API raises.
 */
public final class DeadLetterIndex {

    private final MongoCollection<Document> entries;

    public DeadLetterIndex(MongoClient mongo) {
        this.entries = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION);
    }

    /** The listing's indexes: newest first, by status and by error code. */
    public Mono<Void> createIndexes() {
        return Mono.from(entries.createIndex(Indexes.compoundIndex(Indexes.ascending(DeadLetterStorage.STATUS),
                        Indexes.descending(DeadLetterStorage.FAILED_AT)), new IndexOptions().name("status_failedAt")))
                .then(Mono.from(entries.createIndex(Indexes.ascending(DeadLetterStorage.ERROR_CODE),
                        new IndexOptions().name("errorCode"))))
                .then();
    }

    /** Records {@code entry}; returns whether it changed the index. */
    public Mono<Boolean> record(DeadLetterEntry entry) {
        return Mono.from(entries.find(Filters.eq(DeadLetterStorage.ID, entry.id())).first())
                .map(existing -> DeadLetterDocuments.read(existing).dlqOffset())
                .defaultIfEmpty(-1L)
                .flatMap(storedOffset -> storedOffset >= entry.offset() ? Mono.just(false)
                        : Mono.from(entries.updateOne(Filters.eq(DeadLetterStorage.ID, entry.id()), update(entry),
                                new UpdateOptions().upsert(true))).thenReturn(true));
    }

    private static Bson update(DeadLetterEntry entry) {
        return new Document("$set", DeadLetterDocuments.deadLettered(entry.deadLetter()))
                .append("$setOnInsert", new Document(DeadLetterStorage.REPLAY_COUNT, 0));
    }
}
