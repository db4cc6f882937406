package dev.spool.processor.storage;

import dev.spool.processor.extraction.DocumentSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Downloads uploaded documents from S3 into a file, streaming, so any size fits, or into memory when they are small;
 * behind the storage breaker.
 */
public final class S3DocumentSource implements DocumentSource {

    private final S3Client s3;
    private final StorageBreaker breaker;

    public S3DocumentSource(S3Client s3, StorageBreaker breaker) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    @Override
    public void download(String bucket, String key, Path target) throws Exception {
        Files.deleteIfExists(target);
        breaker.run(() -> {
            // a partial file of an attempt that failed half-way must not make the SDK refuse the next one
            Files.deleteIfExists(target);
            s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(), ResponseTransformer.toFile(target));
        });
    }

    @Override
    public byte[] read(String bucket, String key, long maxBytes) throws Exception {
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key)
                .range("bytes=0-" + maxBytes)
                .build();
        return breaker.call(() -> s3.getObjectAsBytes(request).asByteArrayUnsafe());
    }

    @Override
    public boolean exists(String bucket, String key) throws Exception {
        return breaker.call(() -> {
            try {
                s3.headObject(request -> request.bucket(bucket).key(key));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                // HEAD answers a missing object with a bare 404, which the SDK may report by its status alone
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }
}
