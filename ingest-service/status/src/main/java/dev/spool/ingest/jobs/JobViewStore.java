package dev.spool.ingest.jobs;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.schemas.envelope.EventJson;
import dev.spool.schemas.view.JobStatus;
import dev.spool.schemas.view.JobView;
import dev.spool.schemas.view.ViewStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
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

    /**
     * Up to {@code limit} views of {@code ownerId}, newest first, optionally of one status only, starting after
     * {@code after}. Served by the {@code ownerId + createdAt} and {@code status + createdAt} indexes.
     */
    public Mono<JobPage> list(String ownerId, JobStatus status, JobCursor after, int limit) {
        List<Bson> filters = new ArrayList<>();
        filters.add(Filters.eq(ViewStorage.FIELD_OWNER, ownerId));
        if (status != null) {
            filters.add(Filters.eq(ViewStorage.FIELD_STATUS, status.wireName()));
        }
        if (after != null) {
            Date at = Date.from(after.createdAt());
            filters.add(Filters.or(Filters.lt(ViewStorage.FIELD_CREATED_AT, at),
                    Filters.and(Filters.eq(ViewStorage.FIELD_CREATED_AT, at), Filters.lt("_id", after.jobId()))));
        }
        return Flux.from(jobs.find(Filters.and(filters))
                        .sort(Sorts.descending(ViewStorage.FIELD_CREATED_AT, "_id"))
                        .limit(limit + 1)
                        .projection(Projections.include(ViewStorage.FIELD_VIEW)))
                .mapNotNull(document -> document.get(ViewStorage.FIELD_VIEW, Document.class))
                .map(JobViewStore::decode)
                .collectList()
                .map(views -> {
                    if (views.size() <= limit) {
                        return new JobPage(views, null);
                    }
                    List<JobView> page = views.subList(0, limit);
                    JobView last = page.get(limit - 1);
                    return new JobPage(page, new JobCursor(last.createdAt(), last.jobId()));
                });
    }

    /**
     * Up to {@code limit} views of jobs accepted before {@code cutoff} that are not deleted yet, oldest first: what
     * job retention expires.
     */
    public Flux<JobView> acceptedBefore(Instant cutoff, int limit) {
        return Flux.from(jobs.find(Filters.and(Filters.lt(ViewStorage.FIELD_CREATED_AT, Date.from(cutoff)),
                                Filters.ne(ViewStorage.FIELD_STATUS, JobStatus.DELETED.wireName())))
                        .sort(Sorts.ascending(ViewStorage.FIELD_CREATED_AT))
                        .limit(limit)
                        .projection(Projections.include(ViewStorage.FIELD_VIEW)))
                .mapNotNull(document -> document.get(ViewStorage.FIELD_VIEW, Document.class))
                .map(JobViewStore::decode);
    }

    static JobView decode(Document view) {
        return EventJson.mapper().readValue(view.toJson(PLAIN_JSON), JobView.class);
    }
}
