package dev.spool.ingest.storage;

import dev.spool.ingest.config.StorageProperties;
import dev.spool.ingest.content.ContentTypeDetector;
import dev.spool.ingest.problem.ProblemCode;
import dev.spool.ingest.problem.SpoolProblem;
import dev.spool.ingest.publish.PublishProperties;
import dev.spool.ingest.resilience.DependencyGuard;
import dev.spool.ingest.s3.ObjectStore;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 * Streams an upload into the uploads bucket as an S3 multipart upload, with a bounded number of parts in memory and
 * on their way to S3 at once ({@code spool.ingest.parts-in-flight}, within the instance's
 * {@code spool.ingest.parallel-part-memory}), and reports its size, SHA-256 and type. A file smaller than a part goes
 * in one {@code PutObject}.
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
    private final ParallelPartBudget parallelParts;
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
        this.parallelParts = new ParallelPartBudget(uploads.partsInFlight(),
                Math.toIntExact(uploads.parallelPartMemory().toBytes() / partSize));
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
            Intake intake = new Intake(new PartBuffer(partSize), new MultipartUpload(s3, guard, discards, bucket, key,
                    parallelParts),
                    checks);
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

    /** Slots of the instance's parallel-part budget free now. */
    int parallelPartSlotsFree() {
        return parallelParts.available();
    }

    /** Reads {@code content} to its end for its size and hash only, storing nothing. */
    public Mono<FileIntake> digest(Flux<DataBuffer> content, FileChecks checks) {
        return Mono.defer(() -> {
            ReceivedBytes received = new ReceivedBytes(List.of());
            return content
                    .doOnNext(chunk -> {
                        try {
                            checks.received(chunk.readableByteCount());
                            received.take(chunk);
                        } finally {
                            DataBufferUtils.release(chunk);
                        }
                    })
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release)
                    .then(Mono.fromSupplier(() -> new FileIntake.Digested(received.size(), received.sha256Hex())));
        });
    }

    /** The state of one file on its way in. Not thread-safe: {@code concatMap} feeds it one chunk at a time. */
    private final class Intake {

        private final PartBuffer buffer;
        private final MultipartUpload upload;
        private final FileChecks checks;
        private final ReceivedBytes received;
        private String recordedType;
        private SpoolProblem refusal;

        Intake(PartBuffer buffer, MultipartUpload upload, FileChecks checks) {
            this.buffer = buffer;
            this.upload = upload;
            this.checks = checks;
            this.received = new ReceivedBytes(checks.expectedDigests().stream().map(ExpectedDigest::algorithm).toList());
        }

        Mono<Void> take(DataBuffer chunk) {
            try {
                checks.received(chunk.readableByteCount());
            } catch (RuntimeException e) {
                DataBufferUtils.release(chunk);
                return Mono.error(e);
            }
            // Counted and hashed before the part buffer reads it: the account the stored object must match.
            received.take(chunk);
            List<byte[]> parts = buffer.append(chunk);
            return Flux.fromIterable(parts).concatMap(this::send).then();
        }

        Mono<FileIntake> finish() {
            Receipt receipt = new Receipt(received.size(), received.sha256Hex(), received.requestedDigests());
            byte[] rest = buffer.remainder();
            byte[] kept = !upload.isStarted() && rest.length <= keptContentMax ? rest : null;
            Mono<Void> last = rest.length == 0 ? Mono.empty()
                    : upload.isStarted() ? send(rest) : sendWhole(rest, receipt);
            return last.then(Mono.defer(upload::drain)).then(Mono.defer(() -> {
                if (receipt.size() == 0) {
                    return Mono.just(new FileIntake.Refused(new SpoolProblem(ProblemCode.EMPTY_FILE), 0,
                            receipt.sha256()));
                }
                if (refusal != null) {
                    return Mono.just(new FileIntake.Refused(refusal, receipt.size(), receipt.sha256()));
                }
                if (upload.isWhole()) {
                    // Checked before the put, which carried its Content-MD5: S3 stored exactly these bytes.
                    return Mono.just(stored(receipt.size(), receipt.sha256(), kept));
                }
                String storedSha256 = upload.storedSha256Hex();
                return Mono.fromRunnable(() -> receipt.agreeWith(upload.storedSize(), storedSha256,
                                checks.expectedDigests(), upload.key()))
                        .then(Mono.defer(upload::complete))
                        .then(Mono.defer(() -> verify(upload.key(), upload.storedSize())))
                        .then(Mono.fromSupplier(() -> stored(upload.storedSize(), storedSha256, null)));
            }));
        }

        private FileIntake stored(long size, String sha256, byte[] kept) {
            return new FileIntake.Stored(new StoredObject(bucket, upload.key(), size, sha256, recordedType, kept));
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

        /** A file that ended before filling its first part: judged, checked, then stored in one request. */
        private Mono<Void> sendWhole(byte[] file, Receipt receipt) {
            if (refusal != null || !judge(file)) {
                return Mono.empty();
            }
            MessageDigest sha256 = ReceivedBytes.newDigest("SHA-256");
            receipt.agreeWith(file.length, HexFormat.of().formatHex(sha256.digest(file)), checks.expectedDigests(),
                    upload.key());
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

    /** Checks the assembled object against the parts S3 acknowledged, as some S3 implementations lose part tails. */
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
