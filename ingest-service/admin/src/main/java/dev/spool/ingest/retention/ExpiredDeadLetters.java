package dev.spool.ingest.retention;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.deadletter.DeadLetterStorage;
import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Removes dead-letter index entries of jobs that failed before a cutoff, oldest first, a batch at a time. */
@Component
class ExpiredDeadLetters {

    private final MongoCollection<Document> deadLetters;

    ExpiredDeadLetters(MongoClient mongo) {
        this.deadLetters = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(DeadLetterStorage.COLLECTION);
    }

    Mono<Integer> remove(Instant cutoff, int batch) {
        return Flux.from(deadLetters.find(Filters.lt(DeadLetterStorage.FAILED_AT, Date.from(cutoff)))
                        .sort(Sorts.ascending(DeadLetterStorage.FAILED_AT))
                        .limit(batch)
                        .projection(Projections.include(DeadLetterStorage.ID)))
                .map(document -> document.get(DeadLetterStorage.ID))
                .collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0) : Mono.from(deadLetters.deleteMany(
                        Filters.in(DeadLetterStorage.ID, ids))).map(result -> (int) result.getDeletedCount()));
    }
}
