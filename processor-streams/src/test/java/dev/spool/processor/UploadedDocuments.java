package dev.spool.processor;

import dev.spool.schemas.event.JobAccepted;
import dev.spool.schemas.event.Priority;
import dev.spool.testsupport.SharedInfra;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Puts documents into the shared S3Proxy's upload bucket, as ingest would, and describes each as the work record
 * ingest would publish; processor tests then send that record themselves.
 */
final class UploadedDocuments implements AutoCloseable {

    private static final String BUCKET = "spool-uploads";

    private final S3Client s3 = S3Client.builder()
            .endpointOverride(URI.create(SharedInfra.get().s3Endpoint()))
            .region(Region.of(SharedInfra.get().s3Region()))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    SharedInfra.get().s3AccessKey(), SharedInfra.get().s3SecretKey())))
            .build();

    /** Stores {@code bytes} under a new job's upload key and returns the job's acceptance in {@code tier}. */
    JobAccepted upload(byte[] bytes, String contentType, Priority tier) {
        String jobId = UUID.randomUUID().toString();
        String key = "uploads/" + jobId;
        s3.putObject(request -> request.bucket(BUCKET).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
        return new JobAccepted(jobId, "owner-1", "document", bytes.length, "00".repeat(32), contentType, null, tier,
                BUCKET, key, 1, Instant.now());
    }

    /** The client, for reading back what the processor stored. */
    S3Client s3() {
        return s3;
    }

    @Override
    public void close() {
        s3.close();
    }
}
