package dev.spool.ingest.storage;

import dev.spool.ingest.resilience.DependencyGuard;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

/**
 * One S3 multipart upload, driven one part at a time. It is created lazily with the first part, so an empty
 * stream leaves nothing behind; until it is completed it can be aborted, which removes every stored part. A file
 * that fits in one part is stored with a single {@code PutObject} instead ({@link #putWhole}): one request rather
 * than three, and no assembly on the S3 side.
 *
 * <p>Requests are not cancelled when their subscriber goes away (a client disconnecting, the upload stream
 * failing): an abort first waits for the request in flight, because a create or a part that S3 finishes after
 * the abort would outlive it. Every call but the abort goes through the S3 guard: retried when retryable, behind
 * the breaker; the abort is an {@link UploadDiscards} removal, which outlasts the breaker. Not thread-safe: the
 * caller sends parts sequentially.
 *
 * <p>It keeps its own account of what S3 acknowledged, in order: the size and SHA-256 of the parts (or of the whole
 * file) that S3 accepted after checking their {@code Content-MD5}. That is what the object is made of, and what the
 * caller compares with the bytes it received before it lets the object exist.
 */
final class MultipartUpload {

    private final S3AsyncClient s3;
    private final DependencyGuard guard;
    private final UploadDiscards discards;
    private final String bucket;
    private final String key;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final MessageDigest storedSha256 = ReceivedBytes.newDigest("SHA-256");
    private volatile String contentType;
    private volatile CompletableFuture<String> uploadId;
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private volatile boolean completed;
    private volatile boolean whole;
    private volatile boolean wholeMayBeStored;
    private long storedSize;

    MultipartUpload(S3AsyncClient s3, DependencyGuard guard, UploadDiscards discards, String bucket, String key) {
        this.s3 = s3;
        this.guard = guard;
        this.discards = discards;
        this.bucket = bucket;
        this.key = key;
    }

    /** The object key. */
    String key() {
        return key;
    }

    /** Whether {@link #start} was called; parts may be sent once its {@code Mono} completed. */
    boolean isStarted() {
        return contentType != null;
    }

    /** Whether the file was stored with {@link #putWhole} rather than assembled from parts. */
    boolean isWhole() {
        return whole;
    }

    /** Whether {@link #complete} succeeded, so that the object exists. */
    boolean isCompleted() {
        return completed;
    }

    /** The content type the upload was started with. */
    String contentType() {
        return contentType;
    }

    /** Creates the upload; the content type becomes the object's {@code Content-Type}. */
    Mono<Void> start(String type) {
        contentType = type;
        return guard.storage(Mono.defer(() -> {
            uploadId = track(s3.createMultipartUpload(request -> request.bucket(bucket).key(key).contentType(type)))
                    .thenApply(CreateMultipartUploadResponse::uploadId);
            return Mono.fromFuture(uploadId, true).then();
        }));
    }

    /** Sends the next part; the byte array lets the SDK resend it on a retry, the MD5 lets S3 verify it. */
    Mono<Void> uploadPart(byte[] bytes) {
        int partNumber = parts.size() + 1;
        String md5 = md5Base64(bytes);
        return guard.storage(Mono.fromFuture(() -> track(s3.uploadPart(request -> request
                                .bucket(bucket).key(key).uploadId(uploadId.join()).partNumber(partNumber)
                                .contentLength((long) bytes.length).contentMD5(md5),
                        AsyncRequestBody.fromBytesUnsafe(bytes))), true))
                .doOnNext(response -> {
                    parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
                    acknowledged(bytes);
                })
                .then();
    }

    /** Stores a file that fits in one part as the object itself; from here on the object exists. */
    Mono<Void> putWhole(String type, byte[] bytes) {
        contentType = type;
        whole = true;
        String md5 = md5Base64(bytes);
        return guard.storage(Mono.fromFuture(() -> track(s3.putObject(request -> request
                                .bucket(bucket).key(key).contentType(type)
                                .contentLength((long) bytes.length).contentMD5(md5),
                        AsyncRequestBody.fromBytesUnsafe(bytes)).whenComplete((response, failure) -> {
                            // An error answer from S3 stored nothing; a timeout or a lost connection may have.
                            if (failure == null || !(unwrap(failure) instanceof SdkServiceException)) {
                                wholeMayBeStored = true;
                            }
                        })), true))
                .doOnNext(response -> {
                    acknowledged(bytes);
                    completed = true;
                })
                .then();
    }

    /** Bytes S3 acknowledged so far. */
    long storedSize() {
        return storedSize;
    }

    /** Hex SHA-256 of the bytes S3 acknowledged, in order; call once, after the last part or the whole put. */
    String storedSha256Hex() {
        return HexFormat.of().formatHex(storedSha256.digest());
    }

    private void acknowledged(byte[] bytes) {
        storedSha256.update(bytes);
        storedSize += bytes.length;
    }

    /** Assembles the parts into the object; from here on the object exists. Nothing to do after {@link #putWhole}. */
    Mono<Void> complete() {
        if (whole) {
            return Mono.empty();
        }
        CompletedMultipartUpload upload = CompletedMultipartUpload.builder().parts(List.copyOf(parts)).build();
        return guard.storage(Mono.fromFuture(() -> track(s3.completeMultipartUpload(request -> request
                        .bucket(bucket).key(key).uploadId(uploadId.join()).multipartUpload(upload))), true))
                .doOnNext(response -> completed = true)
                .then();
    }

    /**
     * Discards the stored parts; nothing to do when the upload never started or already completed. After a
     * {@link #putWhole} whose request was still in flight, the object it may have created is deleted.
     */
    Mono<Void> abort() {
        CompletableFuture<?> settled = inFlight.handle((result, failure) -> null);
        if (whole) {
            return completed ? Mono.empty() : Mono.fromFuture(settled, true)
                    .then(Mono.defer(() -> wholeMayBeStored ? discards.delete(bucket, key) : Mono.empty()));
        }
        CompletableFuture<String> id = uploadId;
        if (id == null || completed) {
            return Mono.empty();
        }
        return Mono.fromFuture(settled, true)
                .then(Mono.fromFuture(id, true).onErrorResume(createFailed -> Mono.empty()))
                .flatMap(upload -> discards.abort(bucket, key, upload));
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> request) {
        inFlight = request;
        return request;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String md5Base64(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    }
}
