package dev.spool.ingest.deletion;

import com.mongodb.client.model.Filters;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.view.ViewStorage;
import org.bson.Document;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A deleted job's entries in the dead-letter index, which hold its owner, filename and work record; they go with the
 * job. The records on {@code spool.jobs.dlq} itself go with the topic's retention: a log cannot be edited.
 */
@Component
class DeadLetterEntries {

    private final MongoCollection<Document> entries;

    DeadLetterEntries(MongoClient mongo) {
        this.entries = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION);
    }

    /** Removes every index entry of {@code jobId}; how many there were. */
    Mono<Long> remove(String jobId) {
        return Mono.from(entries.deleteMany(Filters.eq(DeadLetterStorage.JOB_ID, jobId)))
                .map(result -> result.getDeletedCount());
    }
}
