package dev.spool.processor.storage;

import dev.spool.processor.extraction.TextStore;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Writes extracted text as UTF-8 objects into the text bucket; a retry overwrites the same key. */
public final class S3TextStore implements TextStore {

    private final S3Client s3;
    private final String bucket;

    public S3TextStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, String text) {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("text/plain; charset=utf-8")
                .build();
        // Bytes, not a stream: the body must be re-readable when the SDK retries.
        s3.putObject(request, RequestBody.fromBytes(text.getBytes(StandardCharsets.UTF_8)));
    }
}
