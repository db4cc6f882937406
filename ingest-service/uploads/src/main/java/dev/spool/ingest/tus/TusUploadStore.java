package dev.spool.ingest.tus;

import com.mongodb.MongoException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoCollection;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.Dependency;
import dev.spool.ingest.resilience.DependencyGuard;
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
 * Resumable uploads in MongoDB, one document each, with a lease that serialises the requests writing to an upload:
 * whoever holds an unexpired {@code lockToken} may change the document, and every change is conditional on still
 * holding it. A lease outlives a crashed instance by at most its time to live. Failures of MongoDB become
 * {@code upload_state_unavailable}.
 */
@Component
public class TusUploadStore {

    /** The collection, in Spool's database. */
    public static final String COLLECTION = "tus_uploads";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String LOCK_TOKEN = "lockToken";
    private static final String LOCKED_UNTIL = "lockedUntil";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String ASSEMBLED_AT = "assembledAt";

    private final MongoCollection<Document> uploads;
    private final DependencyGuard guard;

    public TusUploadStore(MongoClient mongo, DependencyGuard guard) {
        this.uploads = mongo.getDatabase(ViewStorage.MONGO_DATABASE).getCollection(COLLECTION);
        this.guard = guard;
    }

    /** Creates the index the sweeper reads by; idempotent. */
    public Mono<Void> ensureIndexes() {
        return call(Mono.from(uploads.createIndex(Indexes.ascending(EXPIRES_AT), new IndexOptions().name(EXPIRES_AT))))
                .then();
    }

    /** Stores a new upload. */
    public Mono<Void> create(TusUpload upload) {
        return call(Mono.from(uploads.insertOne(encode(upload, null, null)))).then();
    }

    /** The upload; empty when there is none. */
    public Mono<TusUpload> find(String id) {
        return call(Mono.from(uploads.find(Filters.eq("_id", id)).first())).map(TusUploadStore::decode);
    }

    /**
     * Takes the upload's lease for {@code ttl} under {@code token}.
     *
     * @return the upload as it is now; empty when it does not exist or someone else holds the lease
     */
    public Mono<TusUpload> lock(String id, String token, Instant now, Duration ttl) {
        Bson free = Filters.or(Filters.eq(LOCK_TOKEN, null), Filters.lte(LOCKED_UNTIL, Date.from(now)));
        return call(Mono.from(uploads.findOneAndUpdate(Filters.and(Filters.eq("_id", id), free),
                        Updates.combine(Updates.set(LOCK_TOKEN, token), Updates.set(LOCKED_UNTIL, Date.from(now.plus(ttl)))),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))))
                .map(TusUploadStore::decode);
    }

    /** Extends the lease; {@code false} when it was lost. */
    public Mono<Boolean> renew(String id, String token, Instant until) {
        return call(Mono.from(uploads.updateOne(held(id, token), Updates.set(LOCKED_UNTIL, Date.from(until)))))
                .map(result -> result.getMatchedCount() == 1);
    }

    /** Replaces the upload's state and extends the lease; fails with {@code upload_locked} when it was lost. */
    public Mono<Void> save(TusUpload upload, String token, Instant leaseUntil) {
        return call(Mono.from(uploads.replaceOne(held(upload.id(), token), encode(upload, token, leaseUntil))))
                .flatMap(result -> result.getMatchedCount() == 1 ? Mono.<Void>empty() : Mono.error(lost()));
    }

    /** Gives the lease back; a lease already lost is not an error. */
    public Mono<Void> unlock(String id, String token) {
        return call(Mono.from(uploads.updateOne(held(id, token),
                Updates.combine(Updates.set(LOCK_TOKEN, null), Updates.set(LOCKED_UNTIL, null))))).then();
    }

    /** Removes the upload, if the lease is still held. */
    public Mono<Void> delete(String id, String token) {
        return call(Mono.from(uploads.deleteOne(held(id, token)))).then();
    }

    /** Up to {@code limit} uploads whose time ran out by {@code now}. */
    public Flux<TusUpload> expired(Instant now, int limit) {
        return call(Flux.from(uploads.find(Filters.lte(EXPIRES_AT, Date.from(now))).limit(limit)).collectList())
                .flatMapMany(Flux::fromIterable)
                .map(TusUploadStore::decode);
    }

    private static Bson held(String id, String token) {
        return Filters.and(Filters.eq("_id", id), Filters.eq(LOCK_TOKEN, token));
    }

    private static SpoolProblem lost() {
        return new SpoolProblem(ProblemCode.UPLOAD_LOCKED, "This request took too long and another one took over "
                + "the upload; ask for its offset with HEAD and resume from there.");
    }

    private <T> Mono<T> call(Mono<T> operation) {
        return guard.call(Dependency.MONGODB, ProblemCode.UPLOAD_STATE_UNAVAILABLE, operation.timeout(TIMEOUT))
                .onErrorMap(e -> e instanceof MongoException || e instanceof TimeoutException,
                        e -> new SpoolProblem(ProblemCode.UPLOAD_STATE_UNAVAILABLE, e));
    }

    static Document encode(TusUpload upload, String token, Instant leaseUntil) {
        List<Document> parts = upload.parts().stream()
                .map(part -> new Document("n", part.number()).append("etag", part.etag()).append("size", part.size()))
                .toList();
        return new Document("_id", upload.id())
                .append("ownerId", upload.ownerId())
                .append("length", upload.length())
                .append("offset", upload.offset())
                .append("partSize", upload.partSize())
                .append("s3UploadId", upload.s3UploadId())
                .append("parts", parts)
                .append("stagedBytes", upload.stagedBytes())
                .append("metadata", upload.metadata())
                .append("filename", upload.filename())
                .append("declaredType", upload.declaredType())
                .append("contentType", upload.contentType())
                .append("priority", upload.priority())
                .append("status", upload.status().name())
                .append("sha256", upload.sha256())
                .append("createdAt", Date.from(upload.createdAt()))
                .append(EXPIRES_AT, Date.from(upload.expiresAt()))
                .append(ASSEMBLED_AT, upload.assembledAt() == null ? null : Date.from(upload.assembledAt()))
                .append(LOCK_TOKEN, token)
                .append(LOCKED_UNTIL, leaseUntil == null ? null : Date.from(leaseUntil));
    }

    static TusUpload decode(Document document) {
        List<TusUpload.Part> parts = document.getList("parts", Document.class).stream()
                .map(part -> new TusUpload.Part(part.getInteger("n"), part.getString("etag"), number(part.get("size"))))
                .toList();
        Object length = document.get("length");
        return new TusUpload(document.getString("_id"), document.getString("ownerId"),
                length == null ? null : number(length), number(document.get("offset")),
                number(document.get("partSize")), document.getString("s3UploadId"), parts,
                number(document.get("stagedBytes")), document.getString("metadata"), document.getString("filename"),
                document.getString("declaredType"), document.getString("contentType"), document.getString("priority"),
                TusUpload.Status.valueOf(document.getString("status")), document.getString("sha256"),
                document.getDate("createdAt").toInstant(), document.getDate(EXPIRES_AT).toInstant(),
                document.getDate(ASSEMBLED_AT) == null ? null : document.getDate(ASSEMBLED_AT).toInstant());
    }

    /** BSON keeps small longs as int32 after some round trips; every count here is a long. */
    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
