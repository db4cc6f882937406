package dev.spool.ingest.storage;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.PublishProperties;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.s3.ObjectStore;
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
 * Streams an upload into the uploads bucket as an S3 multipart upload, one bounded part in memory at a time, and
 * reports its size, SHA-256 and type. A file smaller than a part goes in one {@code PutObject}.
 *
 * <p>The type is judged on the first part, before the multipart upload is created, so a refused file leaves
 * nothing in S3; it is still read to its end (hashed, counted against the limits, discarded) so that the request's
 * other files can follow. On any other failure or cancellation the multipart upload is aborted, or the object
 * deleted once it was assembled ({@link UploadDiscards}): either the whole file is stored and verified, or nothing
 * is.
 */
@Component
public class UploadStore {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);

    private final S3AsyncClient s3;
    private final DependencyGuard guard;
    private final ObjectStore objects;
    private final UploadDiscards discards;
    private final ContentTypeDetector detector;
    private final String bucket;
    private final int partSize;
    private final long keptContentMax;

    /**
     * @param publish how large a file may be for its bytes to be kept with its stored object, to travel with its work
     *     record
     */
    public UploadStore(S3AsyncClient s3, DependencyGuard guard, ObjectStore objects, UploadDiscards discards,
            ContentTypeDetector detector, StorageProperties storage, UploadStorageProperties uploads, PublishProperties publish) {
        this.s3 = s3;
        this.guard = guard;
        this.objects = objects;
        this.discards = discards;
        this.detector = detector;
        this.bucket = storage.uploadBucket();
        this.partSize = Math.toIntExact(uploads.partSize().toBytes());
        this.keptContentMax = publish.inlineDocumentMax().toBytes();
    }

    /**
     * Stores {@code content} under {@code key}, releasing every buffer.
     *
     * @return the stored object, or the refusal of a file that is empty or whose type {@code checks} refused;
     *     {@code storage_unavailable} when S3 fails; size-limit problems from {@code checks} and errors of the
     *     content stream itself pass through unchanged
     */
    public Mono<FileIntake> store(String key, Flux<DataBuffer> content, FileChecks checks) {
        return Mono.defer(() -> {
            Intake intake = new Intake(new PartBuffer(partSize), new MultipartUpload(s3, guard, discards, bucket, key), checks);
            AtomicBoolean handedOver = new AtomicBoolean();
            // Prefetch 1: while a part is on its way to S3, at most one more network buffer is read.
            return content
                    .concatMap(chunk -> intake.take(chunk), 1)
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.defer(intake::finish))
                    .doOnNext(result -> handedOver.set(true))
                    .onErrorResume(e -> discard(intake.upload, key).then(Mono.error(translate(e))))
                    // Some operators cancel a Mono after its value; once handed over, the object is the caller's.
                    .doOnCancel(() -> {
                        if (!handedOver.get()) {
                            discard(intake.upload, key).subscribe();
                        }
                    });
        });
    }

    /** Reads {@code content} to its end for its size and hash only, storing nothing. */
    public Mono<FileIntake> digest(Flux<DataBuffer> content, FileChecks checks) {
        return Mono.defer(() -> {
            PartBuffer buffer = new PartBuffer(partSize);
            return content
                    .doOnNext(chunk -> {
                        int count = chunk.readableByteCount();
                        try {
                            checks.received(count);
                        } catch (RuntimeException e) {
                            DataBufferUtils.release(chunk);
                            throw e;
                        }
                        buffer.append(chunk);
                    })
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.fromSupplier(() -> new FileIntake.Digested(buffer.size(), buffer.sha256Hex())));
        });
    }

    /** The state of one file on its way in. Not thread-safe: {@code concatMap} feeds it one chunk at a time. */
    private final class Intake {

        private final PartBuffer buffer;
        private final MultipartUpload upload;
        private final FileChecks checks;
        private String recordedType;
        private SpoolProblem refusal;

        Intake(PartBuffer buffer, MultipartUpload upload, FileChecks checks) {
            this.buffer = buffer;
            this.upload = upload;
            this.checks = checks;
        }

        Mono<Void> take(DataBuffer chunk) {
            try {
                checks.received(chunk.readableByteCount());
            } catch (RuntimeException e) {
                DataBufferUtils.release(chunk);
                return Mono.error(e);
            }
            List<byte[]> parts = buffer.append(chunk);
            return Flux.fromIterable(parts).concatMap(this::send).then();
        }

        Mono<FileIntake> finish() {
            byte[] rest = buffer.remainder();
            byte[] kept = !upload.isStarted() && rest.length <= keptContentMax ? rest : null;
            Mono<Void> last = rest.length == 0 ? Mono.empty() : upload.isStarted() ? send(rest) : sendWhole(rest);
            return last.then(Mono.defer(() -> {
                if (buffer.size() == 0) {
                    return Mono.just(new FileIntake.Refused(new SpoolProblem(ProblemCode.EMPTY_FILE), 0,
                            buffer.sha256Hex()));
                }
                if (refusal != null) {
                    return Mono.just(new FileIntake.Refused(refusal, buffer.size(), buffer.sha256Hex()));
                }
                // A whole put carried its Content-MD5, which S3 checks before it stores anything; only an object
                // that S3 assembled from parts is measured again.
                return upload.complete()
                        .then(Mono.defer(() -> upload.isWhole() ? Mono.<Void>empty() : verify(upload.key(), buffer.size())))
                        .then(Mono.fromSupplier(() -> new FileIntake.Stored(new StoredObject(bucket, upload.key(),
                                buffer.size(), buffer.sha256Hex(), recordedType, upload.isWhole() ? kept : null))));
            }));
        }

        /** The first part decides the type, so the upload is created only for a file that is accepted. */
        private Mono<Void> send(byte[] part) {
            if (refusal != null) {
                return Mono.empty();
            }
            if (recordedType == null) {
                if (!judge(part)) {
                    return Mono.empty();
                }
                return upload.start(recordedType).then(Mono.defer(() -> upload.uploadPart(part)));
            }
            return upload.uploadPart(part);
        }

        /** A file that ended before filling its first part: judged, then stored in one request. */
        private Mono<Void> sendWhole(byte[] file) {
            if (refusal != null || !judge(file)) {
                return Mono.empty();
            }
            return upload.putWhole(recordedType, file);
        }

        private boolean judge(byte[] first) {
            try {
                recordedType = checks.judge(detector.detect(first));
                return true;
            } catch (SpoolProblem refused) {
                refusal = refused;
                return false;
            }
        }
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
        return upload.isCompleted() ? discards.delete(bucket, key) : upload.abort();
    }

    private static Throwable translate(Throwable e) {
        return e instanceof SdkException ? new SpoolProblem(ProblemCode.STORAGE_UNAVAILABLE, e) : e;
    }
}
