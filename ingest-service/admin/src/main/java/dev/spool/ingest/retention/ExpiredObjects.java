package dev.spool.ingest.retention;

import dev.spool.ingest.s3.ObjectStore;
import java.time.Instant;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Removes the objects under a prefix that were last written before a cutoff, where no lifecycle rule does it. S3
 * lists by key, not by age, so a sweep pages through the prefix until it has found a batch of expired objects or
 * reached the end; deleting is idempotent, so instances sweeping at once only repeat each other's deletes.
 */
@Component
class ExpiredObjects {

    /** Deletes in flight at once. */
    private static final int CONCURRENCY = 8;

    private final S3AsyncClient s3;
    private final ObjectStore objects;

    ExpiredObjects(S3AsyncClient s3, ObjectStore objects) {
        this.s3 = s3;
        this.objects = objects;
    }

    /** Removes up to {@code batch} objects of {@code bucket} under {@code prefix} written before {@code cutoff}. */
    Mono<Integer> remove(String bucket, String prefix, Instant cutoff, int batch) {
        return Flux.from(s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents())
                .filter(object -> object.lastModified().isBefore(cutoff))
                .take(batch)
                .map(S3Object::key)
                .flatMap(key -> objects.delete(bucket, key).thenReturn(key), CONCURRENCY)
                .count()
                .map(Long::intValue);
    }
}
