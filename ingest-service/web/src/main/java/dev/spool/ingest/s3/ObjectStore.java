package dev.spool.ingest.s3;

import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.DependencyGuard;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads, sizes, checks and deletes single objects through the S3 guard; S3 failures become {@code storage_unavailable}.
 */
@Component
public class ObjectStore {

    private final S3AsyncClient s3;
    private final DependencyGuard guard;

    public ObjectStore(S3AsyncClient s3, DependencyGuard guard) {
        this.s3 = s3;
        this.guard = guard;
    }

    /**
     * Opens an object for streaming. The outer {@code Mono} answers once S3 has found the object, so a missing
     * object is known before any response byte is written; it is empty when there is no such object.
     */
    public Mono<Flux<DataBuffer>> open(String bucket, String key) {
        return guard.storage(Mono.fromFuture(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                        AsyncResponseTransformer.toPublisher())))
                .map(body -> Flux.from(body).<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::wrap))
                .onErrorResume(NoSuchKeyException.class, e -> Mono.empty())
                .onErrorMap(SdkException.class, ObjectStore::unavailable);
    }

    /** The stored size of an object. */
    public Mono<Long> size(String bucket, String key) {
        return guard.storage(Mono.fromFuture(() -> s3.headObject(request -> request.bucket(bucket).key(key))))
                .map(response -> response.contentLength())
                .onErrorMap(SdkException.class, ObjectStore::unavailable);
    }

    /** Whether an object exists; a missing object is {@code false}, never a failure (nor counted by the breaker). */
    public Mono<Boolean> exists(String bucket, String key) {
        return guard.storage(Mono.fromFuture(() -> s3.headObject(request -> request.bucket(bucket).key(key))))
                .map(response -> true)
                .onErrorResume(ObjectStore::missing, e -> Mono.just(false))
                .onErrorMap(SdkException.class, ObjectStore::unavailable);
    }

    /** Deletes an object; deleting a missing object succeeds. */
    public Mono<Void> delete(String bucket, String key) {
        return guard.storage(Mono.fromFuture(() -> s3.deleteObject(request -> request.bucket(bucket).key(key))))
                .onErrorMap(SdkException.class, ObjectStore::unavailable)
                .then();
    }

    /** HEAD answers a missing object with a bare 404, which the SDK reports as {@code NoSuchKey} or as its status. */
    private static boolean missing(Throwable e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3e && s3e.statusCode() == 404;
    }

    private static SpoolProblem unavailable(Throwable e) {
        return new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE, e);
    }
}
