package dev.spool.ingest;

import com.mongodb.reactivestreams.client.MongoClient;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Duration;
import java.util.Date;
import org.bson.Document;
import reactor.core.publisher.Mono;

/** Job views written into MongoDB as the projection writes them, for tests that need a job in a given state. */
public final class StoredViews {

    private StoredViews() {
    }

    /** Inserts {@code view} into the durable store, where status reads find it on a Redis miss. */
    public static void insert(MongoClient mongo, JobView view) {
        Document document = new Document("_id", view.jobId())
                .append(ViewStorage.FIELD_OWNER, view.ownerId())
                .append(ViewStorage.FIELD_STATUS, view.status().wireName())
                .append(ViewStorage.FIELD_CREATED_AT, Date.from(view.createdAt()))
                .append(ViewStorage.FIELD_VERSION, view.version())
                .append(ViewStorage.FIELD_VIEW, Document.parse(EventJson.mapper().writeValueAsString(view)));
        Mono.from(mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION)
                .insertOne(document)).block(Duration.ofSeconds(10));
    }
}
