package dev.spool.processor.storage;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Object storage as the processor sees it (prefix {@code spool.storage}, shared by all services).
 *
 * @param endpoint S3 endpoint; empty means the AWS default for the region
 * @param region signing region
 * @param accessKey static access key; empty means the AWS default credential chain
 * @param secretKey static secret key, used with {@code accessKey}
 * @param pathStyle address buckets in the path rather than the host name (S3Proxy, MinIO)
 * @param uploadBucket bucket that holds uploaded documents
 * @param textBucket bucket the extracted text is written to
 */
@Validated
@ConfigurationProperties(prefix = "spool.storage")
public record StorageProperties(
        String endpoint,
        @DefaultValue("us-east-1") @NotBlank String region,
        String accessKey,
        String secretKey,
        @DefaultValue("true") boolean pathStyle,
        @DefaultValue("spool-uploads") @NotBlank String uploadBucket,
        @DefaultValue("spool-text") @NotBlank String textBucket) {

    boolean hasEndpoint() {
        return endpoint != null && !endpoint.isBlank();
    }

    boolean hasStaticCredentials() {
        return accessKey != null && !accessKey.isBlank();
    }
}
