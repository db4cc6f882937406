package dev.spool.processor.storage;

import dev.spool.processor.extraction.DocumentSource;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/** Downloads uploaded documents from S3. */
public final class S3DocumentSource implements DocumentSource {

    private final S3Client s3;

    public S3DocumentSource(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    @Override
    public byte[] download(String bucket, String key) {
        return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray();
    }
}
