package dev.spool.ingest.tus;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.resilience.DependencyGuard;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/**
 * The S3 side of resumable uploads, in the uploads bucket: a multipart upload that lives across requests and
 * instances, addressed by its stored id, and the staging object for the tail shorter than a part. Every call goes
 * through the S3 guard (retries, breaker); failures become {@code storage_unavailable}. Requests are not cancelled
 * when their subscriber goes away, so a part S3 accepted is never half-known.
 */
@Component
public class TusObjects {

    private final S3AsyncClient s3;
    private final DependencyGuard guard;
    private final String bucket;

    public TusObjects(S3AsyncClient s3, DependencyGuard guard, StorageProperties storage) {
        this.s3 = s3;
        this.guard = guard;
        this.bucket = storage.uploadBucket();
    }

    /** The bucket objects are stored in. */
    public String bucket() {
        return bucket;
    }

    /** Starts the multipart upload of {@code key}; returns its id. */
    Mono<String> startMultipart(String key, String contentType) {
        return call(Mono.fromFuture(() -> s3.createMultipartUpload(request -> request.bucket(bucket).key(key)
                .contentType(contentType)), true)).map(response -> response.uploadId());
    }

    /** Stores part {@code number}; returns its ETag. The MD5 lets S3 verify the bytes. */
    Mono<String> uploadPart(String key, String uploadId, int number, byte[] bytes) {
        String md5 = md5Base64(bytes);
        return call(Mono.fromFuture(() -> s3.uploadPart(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength((long) bytes.length).contentMD5(md5),
                AsyncRequestBody.fromBytesUnsafe(bytes)), true)).map(response -> response.eTag());
    }

    /**
     * Assembles the parts into the object. An upload S3 no longer knows was completed by an earlier attempt whose
     * answer was lost; the caller's size check of the object tells.
     */
    Mono<Void> complete(String key, String uploadId, List<TusUpload.Part> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(part -> CompletedPart.builder().partNumber(part.number()).eTag(part.etag()).build())
                .toList();
        return call(Mono.fromFuture(() -> s3.completeMultipartUpload(request -> request.bucket(bucket).key(key)
                        .uploadId(uploadId).multipartUpload(upload -> upload.parts(completed))), true)
                .onErrorResume(NoSuchUploadException.class, e -> Mono.empty())
                .then());
    }

    /** Discards the multipart upload and its parts; one already gone is not an error. */
    Mono<Void> abort(String key, String uploadId) {
        return call(Mono.fromFuture(() -> s3.abortMultipartUpload(request -> request.bucket(bucket).key(key)
                        .uploadId(uploadId)), true)
                .onErrorResume(NoSuchUploadException.class, e -> Mono.empty())
                .then());
    }

    /** Replaces the staging object with {@code bytes}. */
    Mono<Void> stage(String key, byte[] bytes) {
        return call(Mono.fromFuture(() -> s3.putObject(request -> request.bucket(bucket).key(key)
                .contentLength((long) bytes.length).contentMD5(md5Base64(bytes)),
                AsyncRequestBody.fromBytesUnsafe(bytes)), true)).then();
    }

    /** The staging object's bytes, which must number {@code expected}. */
    Mono<byte[]> readStaged(String key, long expected) {
        return call(Mono.fromFuture(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                        AsyncResponseTransformer.toBytes()), true))
                .map(response -> response.asByteArrayUnsafe())
                .flatMap(bytes -> bytes.length == expected ? Mono.just(bytes) : Mono.error(new SpoolProblem(
                        ProblemCode.STORAGE_UNAVAILABLE, "The stored tail of the upload has " + bytes.length
                                + " bytes instead of " + expected + "; resume after the Retry-After delay.")));
    }

    /** The stored size of an object. */
    Mono<Long> size(String key) {
        return call(Mono.fromFuture(() -> s3.headObject(request -> request.bucket(bucket).key(key)), true))
                .map(response -> response.contentLength());
    }

    /** The SHA-256 of an object, read back whole: for an upload whose running digest was lost. */
    Mono<String> sha256(String key) {
        return call(Mono.fromFuture(() -> s3.getObject(request -> request.bucket(bucket).key(key),
                        AsyncResponseTransformer.toPublisher()), true))
                .flatMap(body -> {
                    MessageDigest digest = newDigest("SHA-256");
                    return Flux.from(body).doOnNext(digest::update)
                            .then(Mono.fromSupplier(() -> HexFormat.of().formatHex(digest.digest())));
                });
    }

    /** Deletes an object; a missing one is not an error. */
    Mono<Void> delete(String key) {
        return call(Mono.fromFuture(() -> s3.deleteObject(request -> request.bucket(bucket).key(key)), true)
                .onErrorResume(NoSuchKeyException.class, e -> Mono.empty())
                .then());
    }

    private <T> Mono<T> call(Mono<T> request) {
        return guard.storage(request).onErrorMap(SdkException.class,
                e -> new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE, e));
    }

    private static String md5Base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(newDigest("MD5").digest(bytes));
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm, e);
        }
    }
}
