package dev.spool.ingest.storage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Removes what an upload that became no job left in S3: its unfinished multipart upload, or its assembled object.
 *
 * <p>An upload is often refused because S3 is in trouble, so a removal that fails is not given up: it is tried again
 * in the background, with backoff, until S3 takes it or {@code spool.ingest.discard-timeout} has passed; only then
 * is it logged for a sweep or a lifecycle rule. Removals bypass the S3 breaker on purpose: an open breaker would
 * refuse them at the very moment they are needed, and one removal per refused upload is no load worth shedding.
 */
@Component
public class UploadDiscards {

    private static final Logger LOG = LoggerFactory.getLogger(UploadDiscards.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final S3AsyncClient s3;
    private final Duration giveUpAfter;

    public UploadDiscards(S3AsyncClient s3, UploadStorageProperties uploads) {
        this.s3 = s3;
        this.giveUpAfter = uploads.discardTimeout();
    }

    /** Aborts a multipart upload. Completes after the first try; a failed one goes on in the background. */
    public Mono<Void> abort(String bucket, String key, String uploadId) {
        return discard("the multipart upload of " + key, () -> s3.abortMultipartUpload(request -> request
                .bucket(bucket).key(key).uploadId(uploadId)));
    }

    /** Deletes an object. Completes after the first try; a failed one goes on in the background. */
    public Mono<Void> delete(String bucket, String key) {
        return discard(key, () -> s3.deleteObject(request -> request.bucket(bucket).key(key)));
    }

    private Mono<Void> discard(String what, Supplier<CompletableFuture<?>> call) {
        Mono<Void> once = Mono.fromFuture(call, true).then().onErrorResume(UploadDiscards::isGone, gone -> Mono.empty());
        return once.onErrorResume(first -> {
            LOG.info("Could not discard {} ({}); trying again in the background", what, first.toString());
            once.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF).maxBackoff(MAX_BACKOFF))
                    .timeout(giveUpAfter)
                    .subscribe(null,
                            failed -> LOG.warn("Gave up discarding {} after {}; it has no job and a sweep or "
                                    + "lifecycle rule must remove it", what, giveUpAfter, failed),
                            () -> LOG.info("Discarded {} after it had failed", what));
            return Mono.empty();
        });
    }

    /** Already gone, by an earlier try whose answer was lost: nothing is left to remove. */
    private static boolean isGone(Throwable error) {
        return error instanceof S3Exception s3 && s3.statusCode() == 404;
    }
}
