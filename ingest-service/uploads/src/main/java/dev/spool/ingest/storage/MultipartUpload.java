package dev.spool.ingest.storage;

import dev.spool.ingest.resilience.DependencyGuard;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;

/**
 * One S3 multipart upload. It is created lazily with the first part, so an empty stream leaves nothing behind; until
 * it is completed it can be aborted, which removes every stored part. A file that fits in one part is stored with a
 * single {@code PutObject} instead ({@link #putWhole}): one request rather than three, and no assembly on the S3 side.
 *
 * <p>Parts go out in parallel within a bounded window ({@link ParallelPartBudget}): {@link #uploadPart} completes
 * once the part is on its way and the window has room for the next, so the caller reads the next part of the file
 * while earlier ones are being stored, and waits (and so holds back the client) only when the window is full. The
 * window counts every part whose bytes are held: on its way, or stored ahead of an earlier part that is not, so a
 * slow part bounds the memory rather than letting the rest of the file pile up behind it. A part that failed fails
 * the next {@link #uploadPart} or the {@link #drain} that must come before {@link #complete}.
 *
 * <p>Requests are not cancelled when their subscriber goes away (a client disconnecting, the upload stream
 * failing): an abort first waits for every request in flight, because a create or a part that S3 finishes after
 * the abort would outlive it. Every call but the abort goes through the S3 guard: retried when retryable, behind
 * the breaker; the abort is an {@link UploadDiscards} removal, which outlasts the breaker. The caller sends parts
 * sequentially (one call at a time); their acknowledgements may arrive on any thread, in any order.
 *
 * <p>It keeps its own account of what S3 acknowledged, in part order: the size and SHA-256 of the parts (or of the
 * whole file) that S3 accepted after checking their {@code Content-MD5}. That is what the object is made of, and what
 * the caller compares with the bytes it received before it lets the object exist. A part acknowledged before one that
 * precedes it is held until that one is, so the digest is always of the file's bytes in order.
 */
final class MultipartUpload {

    private final S3AsyncClient s3;
    private final DependencyGuard guard;
    private final UploadDiscards discards;
    private final String bucket;
    private final String key;
    private final ParallelPartBudget budget;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final MessageDigest storedSha256 = ReceivedBytes.newDigest("SHA-256");
    /** Parts acknowledged ahead of one before them, by part number, until that one is. */
    private final SortedMap<Integer, byte[]> acknowledgedAhead = new TreeMap<>();
    /** Parts sent and not yet settled, oldest first; the caller's calls change it, an abort reads it. */
    private final Deque<CompletableFuture<Void>> partsInFlight = new ConcurrentLinkedDeque<>();
    /** Parts that took a slot of the budget, until their bytes are accounted (or they failed). */
    private final Set<Integer> slotHolders = ConcurrentHashMap.newKeySet();
    private int partsSent;
    private int nextToAccount = 1;
    private volatile String contentType;
    private volatile CompletableFuture<String> uploadId;
    private volatile CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);
    private volatile boolean completed;
    private volatile boolean aborting;
    private volatile boolean whole;
    private volatile boolean wholeMayBeStored;
    private long storedSize;

    MultipartUpload(S3AsyncClient s3, DependencyGuard guard, UploadDiscards discards, String bucket, String key,
            ParallelPartBudget budget) {
        this.s3 = s3;
        this.guard = guard;
        this.discards = discards;
        this.bucket = bucket;
        this.key = key;
        this.budget = budget;
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

    /**
     * Sends the next part; the byte array lets the SDK resend it on a retry, the MD5 lets S3 verify it. Completes when
     * the part is on its way and there is room for another, or with the failure of an earlier part.
     */
    Mono<Void> uploadPart(byte[] bytes) {
        return Mono.defer(() -> {
            Mono<Void> failed = settleFinished();
            if (failed != null) {
                return failed;
            }
            if (aborting) {
                return Mono.error(new IllegalStateException("the upload of " + key + " is being aborted"));
            }
            // Parts held in memory: on their way, or stored ahead of an earlier part and kept for the digest.
            int held = partsSent - accountedParts();
            if (budget.tryTake(held)) {
                send(bytes, held > 0);
                return Mono.empty();
            }
            CompletableFuture<Void> oldest = partsInFlight.peekFirst();
            return Mono.fromFuture(oldest.handle((done, failure) -> null), true).then(Mono.defer(() -> uploadPart(bytes)));
        });
    }

    /** Waits until every part sent is stored; fails with the first part that could not be. */
    Mono<Void> drain() {
        return Mono.defer(() -> {
            Mono<Void> failed = settleFinished();
            if (failed != null || partsInFlight.isEmpty()) {
                return failed != null ? failed : Mono.empty();
            }
            return Mono.fromFuture(partsInFlight.peekFirst().handle((done, failure) -> null), true)
                    .then(Mono.defer(this::drain));
        });
    }

    private void send(byte[] bytes, boolean tookSlot) {
        int partNumber = ++partsSent;
        String md5 = md5Base64(bytes);
        if (tookSlot) {
            slotHolders.add(partNumber);
        }
        CompletableFuture<Void> stored = guard.storage(Mono.fromFuture(() -> s3.uploadPart(request -> request
                                .bucket(bucket).key(key).uploadId(uploadId.join()).partNumber(partNumber)
                                .contentLength((long) bytes.length).contentMD5(md5),
                        AsyncRequestBody.fromBytesUnsafe(bytes)), true))
                .doOnNext(response -> acknowledged(partNumber, response.eTag(), bytes))
                .then()
                .toFuture()
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        giveBackSlotOf(partNumber);
                    }
                });
        partsInFlight.addLast(stored);
    }

    /** Forgets the oldest parts that are stored; the failure of one that could not be, else {@code null}. */
    private Mono<Void> settleFinished() {
        CompletableFuture<Void> oldest;
        while ((oldest = partsInFlight.peekFirst()) != null && oldest.isDone()) {
            partsInFlight.removeFirst();
            if (oldest.isCompletedExceptionally()) {
                return Mono.fromFuture(oldest, true);
            }
        }
        return null;
    }

    private synchronized void acknowledged(int partNumber, String eTag, byte[] bytes) {
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        acknowledgedAhead.put(partNumber, bytes);
        byte[] next;
        while ((next = acknowledgedAhead.remove(nextToAccount)) != null) {
            account(next);
            giveBackSlotOf(nextToAccount);
            nextToAccount++;
        }
    }

    private synchronized int accountedParts() {
        return nextToAccount - 1;
    }

    private void giveBackSlotOf(int partNumber) {
        if (slotHolders.remove(partNumber)) {
            budget.giveBack();
        }
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
                    account(bytes);
                    completed = true;
                })
                .then();
    }

    /** Bytes S3 acknowledged so far, up to the first part not yet acknowledged. */
    synchronized long storedSize() {
        return storedSize;
    }

    /**
     * Hex SHA-256 of the bytes S3 acknowledged, in order; call once, after {@link #drain} or the whole put. A part
     * acknowledged while one before it was not (which {@code drain} rules out) would be missing from it.
     */
    synchronized String storedSha256Hex() {
        return HexFormat.of().formatHex(storedSha256.digest());
    }

    private synchronized void account(byte[] bytes) {
        storedSha256.update(bytes);
        storedSize += bytes.length;
    }

    /** Assembles the parts into the object; from here on the object exists. Nothing to do after {@link #putWhole}. */
    Mono<Void> complete() {
        if (whole) {
            return Mono.empty();
        }
        CompletedMultipartUpload upload = CompletedMultipartUpload.builder().parts(partsInOrder()).build();
        return guard.storage(Mono.fromFuture(() -> track(s3.completeMultipartUpload(request -> request
                        .bucket(bucket).key(key).uploadId(uploadId.join()).multipartUpload(upload))), true))
                .doOnNext(response -> completed = true)
                .then();
    }

    private synchronized List<CompletedPart> partsInOrder() {
        return parts.stream().sorted(Comparator.comparing(CompletedPart::partNumber)).toList();
    }

    /**
     * Discards the stored parts; nothing to do when the upload never started or already completed. After a
     * {@link #putWhole} whose request was still in flight, the object it may have created is deleted.
     */
    Mono<Void> abort() {
        aborting = true;
        List<CompletableFuture<?>> requests = new ArrayList<>(partsInFlight);
        requests.add(inFlight);
        CompletableFuture<?> settled = CompletableFuture.allOf(requests.stream()
                        .map(request -> request.handle((result, failure) -> null)).toArray(CompletableFuture[]::new));
        // Parts stored ahead of one that never will be are never accounted: their slots go back with the upload.
        settled.whenComplete((result, failure) -> List.copyOf(slotHolders).forEach(this::giveBackSlotOf));
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
