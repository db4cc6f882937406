package dev.spool.ingest.storage;

import dev.spool.ingest.config.IngestProperties;
import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Streams an upload into the uploads bucket as an S3 multipart upload, one bounded part in memory at a time,
 * and reports its size, SHA-256 and detected media type. On any failure or cancellation the multipart upload is
 * aborted, or the object deleted once it was assembled: either the whole upload is stored and verified, or
 * nothing is.
 */
@Component
public class UploadStore {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);

    private final S3AsyncClient s3;
    private final ObjectStore objects;
    private final ContentTypeDetector detector;
    private final String bucket;
    private final int partSize;

    public UploadStore(S3AsyncClient s3, ObjectStore objects, ContentTypeDetector detector, StorageProperties storage,
            IngestProperties ingest) {
        this.s3 = s3;
        this.objects = objects;
        this.detector = detector;
        this.bucket = storage.uploadBucket();
        this.partSize = Math.toIntExact(ingest.partSize().toBytes());
    }

    /**
     * Stores {@code content} under {@code key}, releasing every buffer.
     *
     * @return the stored object; {@code empty_file} when the content has no bytes, {@code storage_unavailable}
     *     when S3 fails; errors of the content stream itself pass through unchanged
     */
    public Mono<StoredObject> store(String key, Flux<DataBuffer> content) {
        return Mono.defer(() -> {
            PartBuffer buffer = new PartBuffer(partSize);
            MultipartUpload upload = new MultipartUpload(s3, bucket, key);
            AtomicBoolean stored = new AtomicBoolean();
            // Prefetch 1: while a part is on its way to S3, at most one more network buffer is read.
            return content
                    .concatMap(chunk -> sendAll(upload, buffer.append(chunk)), 1)
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.defer(() -> sendLast(upload, buffer)))
                    .then(Mono.defer(upload::complete))
                    .then(Mono.defer(() -> verify(key, buffer.size())))
                    .then(Mono.fromSupplier(() -> {
                        stored.set(true);
                        return new StoredObject(bucket, key, buffer.size(), buffer.sha256Hex(), upload.contentType());
                    }))
                    .onErrorResume(e -> discard(upload, key).then(Mono.error(translate(e))))
                    // Some operators cancel a Mono after its value; once handed over, the object is the caller's.
                    .doOnCancel(() -> {
                        if (!stored.get()) {
                            discard(upload, key).subscribe();
                        }
                    });
        });
    }

    private Mono<Void> sendAll(MultipartUpload upload, List<byte[]> parts) {
        return Flux.fromIterable(parts).concatMap(part -> send(upload, part)).then();
    }

    private Mono<Void> sendLast(MultipartUpload upload, PartBuffer buffer) {
        byte[] rest = buffer.remainder();
        if (rest.length > 0) {
            return send(upload, rest);
        }
        return buffer.size() == 0 ? Mono.error(new SpoolProblem(ProblemCode.EMPTY_FILE)) : Mono.empty();
    }

    /** The first part names the content type, so the upload is created only once it is known. */
    private Mono<Void> send(MultipartUpload upload, byte[] part) {
        Mono<Void> started = upload.isStarted() ? Mono.empty() : upload.start(detector.detect(part));
        return started.then(Mono.defer(() -> upload.uploadPart(part)));
    }

    /** Checks the assembled object against the bytes received, as some S3 implementations lose part tails. */
    private Mono<Void> verify(String key, long expectedSize) {
        return objects.size(bucket, key).flatMap(stored -> {
            if (stored == expectedSize) {
                return Mono.<Void>empty();
            }
            LOG.warn("Stored {} bytes of {} for {}; discarding it", stored, expectedSize, key);
            return Mono.error(new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE,
                    "The file was not stored completely; upload it again."));
        });
    }

    private Mono<Void> discard(MultipartUpload upload, String key) {
        Mono<Void> undo = upload.isCompleted() ? objects.delete(bucket, key) : upload.abort();
        return undo.onErrorResume(e -> {
            LOG.warn("Could not discard the upload of {}; it has no job and a sweep or lifecycle rule must remove it",
                    key, e);
            return Mono.empty();
        });
    }

    private static Throwable translate(Throwable e) {
        return e instanceof SdkException ? new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE, e) : e;
    }
}
