package dev.spool.ingest.s3;

import dev.spool.ingest.config.StorageProperties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The credentials S3 calls and presigned URLs are signed with: the configured keys, else the AWS default chain. */
public final class S3Credentials {

    private S3Credentials() {
    }

    /** The static keys of {@code storage} when it has them, else the AWS default credentials chain. */
    public static AwsCredentialsProvider of(StorageProperties storage) {
        if (storage.accessKey().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(storage.accessKey(), storage.secretKey()));
    }
}
