package dev.spool.ingest.config;

import dev.spool.schemas.storage.JobObjects;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where uploads and extracted texts live; the keys are shared by all Spool services.
 *
 * @param endpoint S3 endpoint such as {@code http://localhost:9000}; empty uses AWS's regional endpoint
 * @param region signing region
 * @param accessKey access key id; empty uses the AWS default credentials chain
 * @param secretKey secret access key
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), as S3Proxy and MinIO expect
 * @param uploadBucket bucket of the uploaded files
 * @param textBucket bucket of the extracted texts
 */
@Validated
@ConfigurationProperties("spool.storage")
public record StorageProperties(
        @DefaultValue("") String endpoint,
        @NotBlank @DefaultValue("us-east-1") String region,
        @DefaultValue("") String accessKey,
        @DefaultValue("") String secretKey,
        @DefaultValue("true") boolean pathStyle,
        @NotBlank @DefaultValue("spool-uploads") String uploadBucket,
        @NotBlank @DefaultValue("spool-text") String textBucket) {

    /**
     * The key of a job's uploaded file in {@link #uploadBucket}: {@code uploads/{jobId}}, for multipart and resumable
     * uploads alike (never the filename). Every reader of an original (the processor through its work record, the
     * downloads) finds it there.
     */
    public static String uploadKey(String jobId) {
        return JobObjects.uploadKey(jobId);
    }

    @Override
    public String toString() {
        return "StorageProperties[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", pathStyle=" + pathStyle + ", uploadBucket=" + uploadBucket + ", textBucket=" + textBucket + "]";
    }
}
