package dev.spool.ingest.jobs;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;
import org.bson.Document;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The durable job views in MongoDB, as the projection stores them (see {@link ViewStorage}); read-only here. */
@Component
public class JobViewStore {

    /** Plain JSON numbers and, should a view ever hold BSON dates, ISO-8601 strings as {@code EventJson} reads them. */
    private static final JsonWriterSettings PLAIN_JSON = JsonWriterSettings.builder()
            .outputMode(JsonMode.RELAXED)
            .dateTimeConverter((millis, writer) -> writer.writeString(Instant.ofEpochMilli(millis).toString()))
            .build();

    private final MongoCollection<Document> jobs;

    public JobViewStore(MongoClient mongo) {
        this.jobs = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(ViewStorage.JOBS_COLLECTION);
    }

    /** The stored view; empty when there is no such job. */
    public Mono<JobView> find(String jobId) {
        return Mono.from(jobs.find(Filters.eq("_id", jobId))
                        .projection(Projections.include(ViewStorage.FIELD_VIEW))
                        .first())
                .mapNotNull(document -> document.get(ViewStorage.FIELD_VIEW, Document.class))
                .map(JobViewStore::decode);
    }

    static JobView decode(Document view) {
        return EventJson.mapper().readValue(view.toJson(PLAIN_JSON), JobView.class);
    }
}
